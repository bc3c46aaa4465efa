"""The demo archive seal: a self-signed PKCS#12 that loads and signs a PDF, valid on fixed dates."""

import datetime
import io

import pytest
from reportlab.pdfgen import canvas
from sysengage_ged_tools import pades


def _pdf():
    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(100, 700, "Facture FA/2026/0042")
    page.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def bundle_bytes():
    return pades.make_self_signed_pkcs12("Démo SA (demo seal)", "Démo SA", "CH", "demo-archive")


def test_demo_seal_loads_with_its_password(bundle_bytes):
    bundle = pades.load_pkcs12(bundle_bytes, "demo-archive")
    assert "Démo SA (demo seal)" in bundle["subject"]
    assert bundle["not_after"] == datetime.datetime(2075, 1, 1, tzinfo=datetime.timezone.utc)


def test_demo_seal_refuses_a_wrong_password(bundle_bytes):
    with pytest.raises(pades.CertificateError):
        pades.load_pkcs12(bundle_bytes, "wrong")


def test_demo_seal_signs_a_pdf_that_verifies_against_itself(bundle_bytes):
    bundle = pades.load_pkcs12(bundle_bytes, "demo-archive")
    signed = pades.sign_pdf(_pdf(), bundle, reason="Invoice archive", location="Lausanne")
    result = pades.verify_pdf_signature(signed, trust_certs=[bundle["cert"]])
    assert result["found"] and result["intact"] and result["valid"]
    assert "Démo SA (demo seal)" in result["signer"]
