"""A throw-away self-signed certificate for the emulated router's ``api-ssl`` service.

A real ``api-ssl`` with a certificate is plain TLS (platform.md §5.1); clients either skip verification
(``ssl_verify=False``) or pin the certificate as their CA (§5.3). The certificate names ``localhost``, ``127.0.0.1`` and
``::1`` so a pinned client that checks the host name accepts it on loopback, and is its own CA (basicConstraints
CA:TRUE) so it can be loaded as a trust anchor. It is made with the ``cryptography`` package when that is installed,
else with the ``openssl`` command line.

Must not: reuse or persist keys beyond the directory it is given; print.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import ipaddress
import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

COMMON_NAME = "rosbill emulated router"
_VALID_DAYS = 30


class CertificateError(RuntimeError):
    """Neither ``cryptography`` nor a working ``openssl`` command could make a certificate."""


@dataclass(frozen=True, slots=True)
class Certificate:
    cert_path: Path  # PEM; also what a client pins as its CA
    key_path: Path  # PEM, unencrypted, mode 0600
    made_with: Literal["cryptography", "openssl"]
    sha256: str  # fingerprint of the DER certificate, hex with colons

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


def make_certificate(directory: Path, prefer: Literal["cryptography", "openssl"] | None = None) -> Certificate:
    """Write ``api-cert.pem`` and ``api-key.pem`` into ``directory`` (which should be private to this server)."""
    cert_path, key_path = directory / "api-cert.pem", directory / "api-key.pem"
    made_with: Literal["cryptography", "openssl"]
    if prefer != "openssl" and _has_cryptography():
        _with_cryptography(cert_path, key_path)
        made_with = "cryptography"
    elif prefer != "cryptography":
        _with_openssl(cert_path, key_path)
        made_with = "openssl"
    else:
        raise CertificateError("the cryptography package is not installed")
    key_path.chmod(0o600)
    der = ssl.PEM_cert_to_DER_cert(cert_path.read_text())
    digest = hashlib.sha256(der).hexdigest().upper()
    return Certificate(cert_path, key_path, made_with, ":".join(digest[i : i + 2] for i in range(0, len(digest), 2)))


def _has_cryptography() -> bool:
    return importlib.util.find_spec("cryptography") is not None


def _with_openssl(cert_path: Path, key_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise CertificateError("--tls needs the cryptography package or the openssl command; neither was found")
    command = [
        openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(key_path), "-out", str(cert_path), "-days", str(_VALID_DAYS), "-subj", f"/CN={COMMON_NAME}",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CertificateError(f"openssl could not make a certificate: {done.stderr.strip()[-300:]}")


def _with_cryptography(cert_path: Path, key_path: Path) -> None:
    from cryptography import x509  # type: ignore[import-not-found,unused-ignore]
    from cryptography.hazmat.primitives import hashes, serialization  # type: ignore[import-not-found,unused-ignore]
    from cryptography.hazmat.primitives.asymmetric import ec  # type: ignore[import-not-found,unused-ignore]
    from cryptography.x509.oid import NameOID  # type: ignore[import-not-found,unused-ignore]

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    names: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=_VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path.touch(mode=0o600)  # private before the key is written into it
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
