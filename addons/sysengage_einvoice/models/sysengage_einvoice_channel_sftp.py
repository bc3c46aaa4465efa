from odoo import models

from ..tools import pdf_attach, transport
from ..tools.schemas import load_facturx, validation_errors
from .sysengage_einvoice_channel import SysengageEinvoiceBuildError


class SysengageEinvoiceChannel(models.Model):
    """Tungsten (UBL 2.1 Peppol BIS 3 + PDF) and Conextrade (Factur-X PDF/A-3), both over SFTP."""

    _inherit = "sysengage.einvoice.channel"

    def _build_files(self, move):
        if self.channel_type == "tungsten":
            return self._build_tungsten(move)
        if self.channel_type == "conextrade":
            return self._build_conextrade(move)
        return super()._build_files(move)

    def _export_edi(self, move, builder_name, kind):
        xml, errors = self.env[builder_name]._export_invoice(move)
        if errors:
            raise SysengageEinvoiceBuildError("\n".join(sorted(errors)))
        schema_errors = validation_errors(xml, kind)
        if schema_errors:
            raise SysengageEinvoiceBuildError(
                self.env._(
                    "The %(format)s XML fails its schema: %(errors)s",
                    format=kind.upper(),
                    errors="; ".join(schema_errors[:5]),
                )
            )
        return xml

    def _build_tungsten(self, move):
        xml = self._export_edi(move, "account.edi.xml.ubl_bis3", "ubl")
        pdf = self._invoice_pdf(move)
        base = self._file_base(move)
        return [
            {"name": f"{base}.ubl.xml", "raw": xml, "mimetype": "application/xml", "main": True},
            {"name": f"{base}.pdf", "raw": pdf, "mimetype": "application/pdf", "main": False},
        ]

    def _build_conextrade(self, move):
        return [
            {
                "name": f"{self._file_base(move)}.pdf",
                "raw": self._facturx_pdf(move),
                "mimetype": "application/pdf",
                "main": True,
            }
        ]

    def _facturx_pdf(self, move):
        """The invoice PDF turned into a Factur-X (EN 16931) PDF/A-3 by the ``factur-x`` package, which checks
        the CII XML against its XSD; a signed PDF is extended instead (:meth:`_facturx_signed_pdf`)."""
        facturx = load_facturx()
        xml = self._export_edi(move, "account.edi.xml.cii", "cii")
        pdf = self._invoice_pdf(move)
        lang = (move.partner_id.lang or "en")[:2]
        if pdf_attach.is_signed(pdf):
            return self._facturx_signed_pdf(move, pdf, xml, lang)
        try:
            return facturx.generate_from_binary(pdf, xml, flavor="factur-x", level="en16931", check_xsd=True, lang=lang)
        except Exception as error:
            raise SysengageEinvoiceBuildError(
                self.env._("Factur-X generation failed: %(error)s", error=str(error))
            ) from error

    def _facturx_signed_pdf(self, move, pdf, xml, lang):
        """The Factur-X of a signed invoice PDF (the archive of sysengage_ged): ``factur-x`` rewrites the PDF,
        which breaks the signature in the copy the customer gets. The XML (XSD-checked by :meth:`_export_edi`;
        an archive embeds it in its signed revision already) and the Factur-X XMP metadata are appended in an
        incremental update instead: the PDF's bytes are kept and its signature still verifies."""
        facturx = load_facturx()
        # the document metadata in the terms the factur-x package writes them (English, like the XML's codes)
        kind = "Refund" if move.move_type == "out_refund" else "Invoice"
        seller = move.company_id.name
        metadata = {
            "author": seller,
            "title": f"{seller}: {kind} {move.name}",
            "subject": f"{kind} {move.name} ({seller})",
        }
        try:
            return pdf_attach.attach_file(
                pdf,
                "factur-x.xml",  # the name the Factur-X standard gives the XML
                xml,
                "text/xml",
                relationship="Data",
                metadata=facturx.generate_xmp_bytes("factur-x", "en16931", None, metadata),
                lang=lang,
            )
        except pdf_attach.PdfAttachError as error:
            raise SysengageEinvoiceBuildError(
                self.env._("Factur-X generation failed: %(error)s", error=str(error))
            ) from error

    def _transport(self, document, files):
        if self.channel_type not in ("tungsten", "conextrade"):
            return super()._transport(document, files)
        for field_name, label in (("sftp_host", self.env._("SFTP host")), ("sftp_username", self.env._("SFTP user"))):
            if not self[field_name]:
                raise transport.RejectedError(
                    self.env._("%(field)s is missing on channel %(channel)s.", field=label, channel=self.display_name)
                )
        uploaded = transport.sftp_put(
            self.sftp_host,
            self.sftp_port,
            self.sftp_username,
            self._sudo_secret("sftp_password"),
            self.sftp_host_key,
            files,
            remote_dir=self.sftp_remote_dir or "",
            timeout=self.timeout,
        )
        return {"state": "sent", "message": self.env._("Uploaded %s", ", ".join(uploaded))}
