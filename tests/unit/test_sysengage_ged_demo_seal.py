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


FACTURX = b'<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:x"/>'


def _embedded(pdf_bytes):
    """``{name: (data, relationship)}`` of the files a PDF embeds, and the names its catalog associates."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    root = PdfFileReader(io.BytesIO(pdf_bytes), strict=False).root
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    files = {}
    for index in range(0, len(names), 2):
        spec = names[index + 1]
        files[str(names[index])] = (spec["/EF"]["/F"].data, spec.get("/AFRelationship"))
    associated = [str(spec["/F"]) for spec in (root["/AF"] if "/AF" in root else [])]
    return files, associated


def test_signing_embeds_the_missing_attachments_inside_the_signed_revision(bundle_bytes):
    bundle = pades.load_pkcs12(bundle_bytes, "demo-archive")
    original = _pdf()
    assert pades.embedded_file_names(original) == []
    signed = pades.sign_pdf(original, bundle, attachments=[("factur-x.xml", FACTURX, "text/xml")])
    # appended to, never rewritten: the rendering is still the start of the file
    assert signed.startswith(original)
    assert pades.embedded_file_names(signed) == ["factur-x.xml"]
    files, associated = _embedded(signed)
    assert files["factur-x.xml"][0] == FACTURX
    assert files["factur-x.xml"][1] == "/Data"
    assert associated == ["factur-x.xml"]
    # the signature covers the embedded file: it is intact, and an altered byte after it is seen
    result = pades.verify_pdf_signature(signed, trust_certs=[bundle["cert"]])
    assert result["intact"] and result["valid"]
    assert b"%PDF-2" not in signed[:10] and b"/Version /2.0" not in signed


def test_signing_keeps_an_attachment_the_pdf_already_embeds(bundle_bytes):
    # a PDF that already embeds its Factur-X XML (as core account_edi_ubl_cii's Send & Print makes it)
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(_pdf()))
    stream = embed.EmbeddedFileObject.from_file_data(writer, FACTURX, mime_type="text/xml")
    embed.embed_file(writer, embed.FileSpec(file_spec_string="factur-x.xml", embedded_data=stream))
    buffer = io.BytesIO()
    writer.write(buffer)
    bundle = pades.load_pkcs12(bundle_bytes, "demo-archive")
    signed = pades.sign_pdf(buffer.getvalue(), bundle, attachments=[("factur-x.xml", b"<other/>", "text/xml")])
    assert pades.embedded_file_names(signed) == ["factur-x.xml"]
    assert _embedded(signed)[0]["factur-x.xml"][0] == FACTURX
    assert pades.verify_pdf_signature(signed, trust_certs=[bundle["cert"]])["intact"]
