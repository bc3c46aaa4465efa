"""The eBill XML is attached to the invoice PDF in an incremental update: a signed archive stays signed."""

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from sysengage_einvoice_tools import pdf_attach
from sysengage_ged_tools import pades

YELLOWBILL = b'<?xml version="1.0" encoding="UTF-8"?><Envelope type="string">yellowbill</Envelope>'


def _pdf():
    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(100, 700, "Rechnung RE/2026/0042")
    page.save()
    return buf.getvalue()


def test_the_file_is_appended_and_the_pdf_kept_byte_for_byte():
    original = _pdf()
    attached = pdf_attach.attach_file(original, "RE_2026_0042.xml", YELLOWBILL, "application/xml")
    assert attached.startswith(original)
    assert len(attached) > len(original)
    assert PdfReader(io.BytesIO(attached)).attachments == {"RE_2026_0042.xml": [YELLOWBILL]}


def test_a_signed_archive_still_verifies_with_the_file_attached():
    bundle = pades.load_pkcs12(pades.make_self_signed_pkcs12("Archiv AG", "Archiv AG", "CH", "pw"), "pw")
    signed = pades.sign_pdf(_pdf(), bundle, reason="Invoice archive")
    attached = pdf_attach.attach_file(signed, "RE_2026_0042.xml", YELLOWBILL, "application/xml")
    result = pades.verify_pdf_signature(attached, trust_certs=[bundle["cert"]])
    assert result["found"] and result["intact"] and result["valid"]
    assert PdfReader(io.BytesIO(attached)).attachments["RE_2026_0042.xml"] == [YELLOWBILL]


def test_an_unreadable_pdf_is_refused():
    with pytest.raises(pdf_attach.PdfAttachError):
        pdf_attach.attach_file(b"%PDF-1.4\nnot a pdf", "x.xml", YELLOWBILL, "application/xml")
