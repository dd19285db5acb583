"""api-ssl: TLS with a self-signed certificate made at start (platform.md §5.1, §5.3 SSL quirks)."""

from __future__ import annotations

import importlib.util
import ssl
from pathlib import Path

import pytest

from api.clients import RawClient, connect, start
from api.fakerouter import FakeRouter
from emulator.api.tls import make_certificate


def test_a_client_that_skips_verification_connects(router: FakeRouter) -> None:
    with start(router, tls=True) as server:
        assert server.info.tls
        assert server.info.certificate is not None
        pool = connect(server, use_ssl=True, ssl_verify=False)
        api = pool.get_api()
        api.get_resource("/system/script").add(name="A", source="x\r\ny")
        assert api.get_resource("/system/script").get()[0]["source"] == "x\r\ny"
        pool.disconnect()


def test_a_client_that_pins_the_certificate_as_its_ca_connects_and_checks_the_host(router: FakeRouter) -> None:
    with start(router, tls=True) as server:
        assert server.info.certificate is not None
        context = ssl.create_default_context(cafile=str(server.info.certificate.cert_path))
        assert context.check_hostname
        pool = connect(server, ssl_context=context)
        assert pool.get_api().get_resource("/system/resource").get()[0]["version"] == "7.16.2 (stable)"
        pool.disconnect()


def test_a_client_that_verifies_against_the_system_cas_refuses_the_self_signed_certificate(
    router: FakeRouter,
) -> None:
    with start(router, tls=True) as server, pytest.raises(ssl.SSLCertVerificationError):
        connect(server, use_ssl=True, ssl_verify=True).get_api()


def test_a_plain_client_cannot_talk_to_the_tls_port(router: FakeRouter) -> None:
    with start(router, tls=True) as server:
        raw = RawClient(server.host, server.port)
        raw.send(b"/login", b"=name=admin", b"=password=")
        assert raw.receive() is None  # the TLS side hangs up on a non-TLS hello
        raw.close()


def test_the_generated_certificate_is_removed_when_the_server_stops(router: FakeRouter) -> None:
    server = start(router, tls=True)
    assert server.info.certificate is not None
    cert, key = server.info.certificate.cert_path, server.info.certificate.key_path
    assert cert.exists()
    assert key.stat().st_mode & 0o077 == 0  # the private key is private
    server.stop()
    assert not cert.exists()
    assert not key.exists()


def test_the_server_reports_what_made_the_certificate(router: FakeRouter) -> None:
    with start(router, tls=True) as server:
        assert server.info.certificate is not None
        expected = "cryptography" if importlib.util.find_spec("cryptography") else "openssl"
        assert server.info.certificate.made_with == expected
        assert len(server.info.certificate.sha256.split(":")) == 32


def _check_certificate(directory: Path, prefer: str) -> None:
    certificate = make_certificate(directory, prefer=prefer)  # type: ignore[arg-type]
    assert certificate.made_with == prefer
    context = ssl.create_default_context(cafile=str(certificate.cert_path))
    info = ssl._ssl._test_decode_cert(str(certificate.cert_path))  # type: ignore[attr-defined]
    assert ("IP Address", "127.0.0.1") in info["subjectAltName"]
    assert ("DNS", "localhost") in info["subjectAltName"]
    assert context.cert_store_stats()["x509_ca"] == 1  # usable as its own trust anchor
    certificate.server_context()  # key and certificate belong together


def test_openssl_makes_a_usable_certificate(tmp_path: Path) -> None:
    _check_certificate(tmp_path, "openssl")


@pytest.mark.skipif(importlib.util.find_spec("cryptography") is None, reason="cryptography is not installed")
def test_cryptography_makes_a_usable_certificate(tmp_path: Path) -> None:
    _check_certificate(tmp_path, "cryptography")
