"""The API transport: TLS verification (CA file, pinned fingerprint, system CAs), login, and what the emulated router
offers the deploy (``/file add``, ``/import … dry-run`` over the API)."""

from __future__ import annotations

import logging
import ssl

import pytest

from deploy.labkit import PASSWORD, lab
from generator.deploy.credentials import Secret
from generator.deploy.transport import ApiTarget, LoginFailed, Refused, TlsRefused, fingerprint_of, tls_context


def test_a_pinned_fingerprint_in_any_spelling_connects(caplog: pytest.LogCaptureFixture) -> None:
    with lab(tls=True) as one:
        certificate = one.server.info.certificate
        assert certificate is not None
        for spelling in (certificate.sha256, certificate.sha256.replace(":", "").lower()):
            target = ApiTarget.connect(one.endpoint(fingerprint=spelling), Secret(PASSWORD))
            assert target.print("/system/identity") == [{"name": b"MikroTik"}]
            target.close()


def test_a_wrong_fingerprint_is_refused_before_the_password_is_sent(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="emulator.api")
    with lab(tls=True) as one, pytest.raises(TlsRefused, match="no password was sent"):
        ApiTarget.connect(one.endpoint(fingerprint="00:" * 31 + "00"), Secret(PASSWORD))
    assert "API login" not in caplog.text and one.recorder.calls == []


def test_the_router_certificate_as_ca_file_verifies_chain_and_host_name() -> None:
    with lab(tls=True) as one:
        certificate = one.server.info.certificate
        assert certificate is not None
        target = ApiTarget.connect(one.endpoint(ca_file=str(certificate.cert_path)), Secret(PASSWORD))
        target.close()
        both = one.endpoint(ca_file=str(certificate.cert_path), fingerprint=certificate.sha256)
        ApiTarget.connect(both, Secret(PASSWORD)).close()


def test_a_self_signed_certificate_without_ca_or_pin_is_not_trusted() -> None:
    with lab(tls=True) as one, pytest.raises(TlsRefused, match="not trusted"):
        ApiTarget.connect(one.endpoint(), Secret(PASSWORD))


def test_plain_api_only_when_tls_is_off() -> None:
    with lab() as one:
        assert tls_context(one.endpoint()) is None
        tls = one.endpoint().__class__("r1", "127.0.0.1", 8729, True, "u")
        context = tls_context(tls)
        assert context is not None and context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_a_wrong_password_is_a_login_failure_that_does_not_quote_it() -> None:
    with lab() as one, pytest.raises(LoginFailed) as failure:
        ApiTarget.connect(one.endpoint(), Secret("guess-" + PASSWORD))
    assert "invalid user name or password" in str(failure.value) and PASSWORD not in str(failure.value)


def test_traps_keep_the_routers_words_and_never_the_values_sent() -> None:
    with lab() as one:
        target = ApiTarget.connect(one.endpoint(), Secret(PASSWORD))
        with pytest.raises(Refused) as trap:
            target.command("/tool/e-mail", "set", {"password": b"smtp-secret", "bogus": b"1"})
        assert trap.value.message == "unknown parameter bogus" and "smtp-secret" not in str(trap.value)
        assert target.commands == ["/login", "/tool/e-mail/set"] and target.writes == 1


def test_files_can_be_added_and_imported_with_dry_run_over_the_api() -> None:
    with lab("7.16") as one:
        target = ApiTarget.connect(one.endpoint(), Secret(PASSWORD))
        file_id = target.add("/file", {"name": b"check.rsc", "contents": b"{\n:local a 1\n:put $a\n}\n"})
        target.command("/", "import", {"file-name": b"check.rsc", "dry-run": b""})
        target.set("/file", file_id, {"contents": b"{\n/nowhere do\n}\n"})
        with pytest.raises(Refused, match="bad command name nowhere"):
            target.command("/", "import", {"file-name": b"check.rsc", "dry-run": b""})
        target.remove("/file", file_id)
        assert target.print("/file") == [] and target.writes == 3
    with lab("6.49.10") as old, pytest.raises(Refused, match="no such command"):
        ApiTarget.connect(old.endpoint(), Secret(PASSWORD)).add("/file", {"name": b"x.rsc"})


def test_fingerprints_are_sha256_with_colons() -> None:
    assert fingerprint_of(b"") == ":".join(["E3", "B0", "C4", "42", "98", "FC", "1C", "14", "9A", "FB", "F4", "C8",
                                            "99", "6F", "B9", "24", "27", "AE", "41", "E4", "64", "9B", "93", "4C",
                                            "A4", "95", "99", "1B", "78", "52", "B8", "55"])  # fmt: skip
