"""Files are attached to the invoice PDF in an incremental update (the eBill XML, a Factur-X XML and its
metadata): a signed archive stays signed."""

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


CII = (
    b'<?xml version="1.0" encoding="UTF-8"?><rsm:CrossIndustryInvoice '
    b'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"/>'
)


def _xmp():
    from facturx import generate_xmp_bytes

    return generate_xmp_bytes("factur-x", "en16931", None, {"author": "Archiv AG", "title": "Archiv AG: Invoice 42"})


def test_a_signed_archive_becomes_a_factur_x_and_still_verifies():
    from facturx import get_xml_from_pdf

    bundle = pades.load_pkcs12(pades.make_self_signed_pkcs12("Archiv AG", "Archiv AG", "CH", "pw"), "pw")
    signed = pades.sign_pdf(_pdf(), bundle, reason="Invoice archive")
    facturx = pdf_attach.attach_file(signed, "factur-x.xml", CII, "text/xml", "Data", metadata=_xmp(), lang="de")
    assert facturx.startswith(signed)
    result = pades.verify_pdf_signature(facturx, trust_certs=[bundle["cert"]])
    assert result["found"] and result["intact"] and result["valid"]
    assert get_xml_from_pdf(facturx, check_xsd=False) == ("factur-x.xml", CII)
    reader = PdfReader(io.BytesIO(facturx))
    root = reader.trailer["/Root"]
    assert [spec.get_object()["/F"] for spec in root["/AF"]] == ["factur-x.xml"]
    assert [spec.get_object()["/AFRelationship"] for spec in root["/AF"]] == ["/Data"]
    assert root["/Lang"] == "de"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert b"<pdfaid:part>3</pdfaid:part>" in xmp


def test_a_factur_x_xml_the_archive_signed_is_kept_not_embedded_twice():
    bundle = pades.load_pkcs12(pades.make_self_signed_pkcs12("Archiv AG", "Archiv AG", "CH", "pw"), "pw")
    signed = pades.sign_pdf(_pdf(), bundle, attachments=[("factur-x.xml", CII, "text/xml")])
    later = CII.replace(b"/>", b"><!-- built again at the send --></rsm:CrossIndustryInvoice>")
    facturx = pdf_attach.attach_file(signed, "factur-x.xml", later, "text/xml", "Data", metadata=_xmp())
    assert PdfReader(io.BytesIO(facturx)).attachments == {"factur-x.xml": [CII]}
    root = PdfReader(io.BytesIO(facturx)).trailer["/Root"]
    assert len(root["/AF"]) == 1
    assert b"fx:DocumentFileName" in root["/Metadata"].get_object().get_data()
    result = pades.verify_pdf_signature(facturx, trust_certs=[bundle["cert"]])
    assert result["intact"] and result["valid"]


def test_is_signed():
    bundle = pades.load_pkcs12(pades.make_self_signed_pkcs12("Archiv AG", "Archiv AG", "CH", "pw"), "pw")
    assert pdf_attach.is_signed(pades.sign_pdf(_pdf(), bundle))
    assert not pdf_attach.is_signed(_pdf())
    assert not pdf_attach.is_signed(b"%PDF-1.4\nnot a pdf")
