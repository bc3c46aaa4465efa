"""RFC 3161 client and PAdES signing against a real TSA/CA served on loopback by certomancer."""

import io

import pytest
from reportlab.pdfgen import canvas
from sysengage_ged_testing.testing_pki import LoopbackPKI
from sysengage_ged_tools import pades, rfc3161


@pytest.fixture(scope="module")
def pki():
    pki = LoopbackPKI()
    pki.start()
    yield pki
    pki.close()


def _pdf():
    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(100, 700, "Invoice INV/2026/0001")
    page.save()
    return buf.getvalue()


def test_timestamp_token_verifies(pki):
    digest = rfc3161.digest_of(b"archive")
    token = rfc3161.request_timestamp(pki.tsa_url, digest)
    roots = pades.load_certificates(pki.root_pem())
    status = pades.verify_timestamp_token(token, digest, roots)
    assert status["intact"] and status["valid"] and status["trusted"]
    other = pades.verify_timestamp_token(token, rfc3161.digest_of(b"other"), roots)
    assert not other["intact"]


def test_garbage_answer_rejected(pki):
    digest = rfc3161.digest_of(b"archive")
    with pytest.raises(rfc3161.TimestampError):
        rfc3161.parse_response(b"<html>not a token</html>", digest, 1)


def test_authority_down_is_retryable(pki):
    url = pki.tsa_url
    pki.stop()
    try:
        with pytest.raises(rfc3161.TimestampAuthorityUnavailable):
            rfc3161.request_timestamp(url, rfc3161.digest_of(b"x"), timeout=2)
    finally:
        pki.start()


def test_pades_sign_and_detect_tampering(pki):
    bundle = pades.load_pkcs12(pki.signer_pkcs12("s3cret"), "s3cret")
    signed = pades.sign_pdf(_pdf(), bundle, reason="Archive")
    roots = [c for c in bundle["chain"] if c.self_signed]
    status = pades.verify_pdf_signature(signed, roots)
    assert status == {**status, "found": True, "intact": True, "valid": True, "trusted": True}
    # flip one byte inside the signed range (the first object of the file)
    position = signed.index(b"obj") + 10
    tampered = signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1 :]
    assert not pades.verify_pdf_signature(tampered, roots)["intact"]


def test_wrong_password_and_garbage_certificate(pki):
    with pytest.raises(pades.CertificateError):
        pades.load_pkcs12(pki.signer_pkcs12("right"), "wrong")
    with pytest.raises(pades.CertificateError):
        pades.load_pkcs12(b"not a pkcs12 file", "x")
