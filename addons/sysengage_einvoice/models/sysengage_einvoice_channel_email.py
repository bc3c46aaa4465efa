from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from odoo import models

from ..tools import transport


class SysengageEinvoiceChannel(models.Model):
    """E-mail: the PDF (optionally Factur-X) delivered through the channel's outgoing mail server.

    The transport speaks SMTP itself (``tools.transport.smtp_send``) to the ``ir.mail_server`` of the
    channel instead of queueing a ``mail.mail``: the document is marked sent only once the server
    accepted the message, in the same step, which is what the dispatch needs for exactly-once.
    """

    _inherit = "sysengage.einvoice.channel"

    def _requires_recipients(self):
        return self.channel_type == "email" or super()._requires_recipients()

    def _build_files(self, move):
        if self.channel_type != "email":
            return super()._build_files(move)
        if self.email_embed_facturx or move.partner_id.commercial_partner_id.invoice_edi_format == "facturx":
            pdf = self._facturx_pdf(move)
        else:
            pdf = self._invoice_pdf(move)
        return [{"name": f"{self._file_base(move)}.pdf", "raw": pdf, "mimetype": "application/pdf", "main": True}]

    def _transport(self, document, files):
        if self.channel_type != "email":
            return super()._transport(document, files)
        # sudo: outgoing mail servers are system records (host, login, password); the user sending
        # an invoice uses the channel's server for this one delivery without reading it
        server = self.mail_server_id.sudo()
        if not server:
            raise transport.RejectedError(
                self.env._("Outgoing mail server is missing on channel %s.", self.display_name)
            )
        recipients = document.recipient_ids.filtered("email")
        if not recipients:
            raise transport.RejectedError(self.env._("Recipients: no recipient with an e-mail address."))
        company = document.company_id
        flow = document.flow_id
        sender_email = (flow.sender_email if flow else False) or company.email
        if not sender_email:
            raise transport.RejectedError(self.env._("Sender address is missing on the flow and the company."))
        content = document._mail_content()  # subject and body of the document's type
        message = EmailMessage()
        message["From"] = formataddr(((flow.sender_name if flow else False) or company.name, sender_email))
        message["To"] = ", ".join(formataddr((partner.name, partner.email)) for partner in recipients)
        message["Subject"] = content["subject"]
        message["Message-Id"] = make_msgid(domain="sysengage.local")
        message.set_content(content["body"])
        for name, raw in files.items():
            message.add_attachment(raw, maintype="application", subtype="pdf", filename=name)
        transport.smtp_send(
            server.smtp_host,
            server.smtp_port,
            message,
            username=server.smtp_user if server.smtp_authentication == "login" else None,
            password=server.smtp_pass,
            encryption=server.smtp_encryption if server.smtp_encryption in ("ssl", "starttls") else "none",
            timeout=self.timeout,
        )
        return {
            "state": "sent",
            "external_id": message["Message-Id"],
            "message": self.env._("E-mailed to %s", ", ".join(recipients.mapped("email"))),
        }
