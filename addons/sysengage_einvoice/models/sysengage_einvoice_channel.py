import logging
from collections import defaultdict
from dataclasses import replace

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.sysengage_base.tools.report_options import ReportOptions, with_options

_logger = logging.getLogger(__name__)

PDF_CACHE = "sysengage_einvoice_pdfs"  # cursor cache: {key: invoice PDF} of the last prefetched batch
# where the channel sends its credentials (API token, SFTP password): set by system administrators
# only, like the credentials themselves, so a secret never follows a destination they did not choose
SECRET_DESTINATION_FIELDS = ("url", "sftp_host", "sftp_port", "sftp_host_key")


class SysengageEinvoiceBuildError(UserError):
    """A document of a channel could not be built: the message names the field to fix."""


class SysengageEinvoiceChannel(models.Model):
    """A delivery channel: a builder (the files) plus a transport (how they leave).

    Each channel type implements ``_build_files`` and ``_transport`` in its own
    file, tests its own ``channel_type`` and calls ``super()`` otherwise; a partner adds a channel
    in a small addon with a ``selection_add`` on ``channel_type`` and these two methods.
    """

    _name = "sysengage.einvoice.channel"
    _description = "E-invoice channel"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    channel_type = fields.Selection(
        [
            ("ebill", "PostFinance eBill (yellowbill)"),
            ("ariba", "SAP Ariba (cXML)"),
            ("tungsten", "Tungsten (UBL + PDF over SFTP)"),
            ("conextrade", "Conextrade (Factur-X over SFTP)"),
            ("email", "E-mail"),
            ("paper", "Paper (print batch)"),
        ],
        required=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    max_attempts = fields.Integer(default=6, help="Transient failures are retried with back-off up to this count.")
    timeout = fields.Integer(string="Timeout (s)", default=30)
    # HTTPS (eBill, Ariba)
    url = fields.Char(string="API URL", help="eBill: base URL of the Software Partner API (…/swp/v1).")
    api_token = fields.Char(string="API access token", groups="base.group_system", copy=False)
    tls_ca_cert = fields.Text(
        string="Trusted certificate (PEM)",
        groups="base.group_system",
        help="Certificate of a private CA or self-signed server; empty means the system trust store.",
    )
    ebill_biller_id = fields.Char(string="eBill biller ID", help="PostFinance eBill biller PID (41 + 15 digits).")
    ariba_sender_id = fields.Char(string="Ariba supplier ANID")
    ariba_shared_secret = fields.Char(string="Ariba shared secret", groups="base.group_system", copy=False)
    ariba_deployment_mode = fields.Selection([("production", "Production"), ("test", "Test")], default="production")
    # SFTP (Tungsten, Conextrade)
    sftp_host = fields.Char(string="SFTP host")
    sftp_port = fields.Integer(string="SFTP port", default=22)
    sftp_username = fields.Char(string="SFTP user")
    sftp_password = fields.Char(string="SFTP password", groups="base.group_system", copy=False)
    sftp_host_key = fields.Char(string="SFTP host key", help="The server's OpenSSH public key (ssh-ed25519 AAAA…).")
    sftp_remote_dir = fields.Char(string="Remote folder", default="in")
    # E-mail
    mail_server_id = fields.Many2one("ir.mail_server", string="Outgoing mail server")
    email_embed_facturx = fields.Boolean(string="Embed Factur-X in the PDF")
    document_count = fields.Integer(compute="_compute_document_count")

    def _compute_document_count(self):
        counts = dict(
            self.env["sysengage.einvoice.document"]._read_group(
                [("channel_id", "in", self.ids), ("state", "=", "to_send")], ["channel_id"], ["__count"]
            )
        )
        for channel in self:
            channel.document_count = counts.get(channel, 0)

    def write(self, vals):
        changed = [name for name in SECRET_DESTINATION_FIELDS if name in vals]
        if changed and not (self.env.su or self.env.user.has_group("base.group_system")):
            moved = self.filtered(lambda channel: any(channel[name] != vals[name] for name in changed))
            if moved:
                raise AccessError(
                    self.env._(
                        "Only system administrators may change where channel %(channel)s sends its credentials "
                        "(%(fields)s).",
                        channel=moved[:1].display_name,
                        fields=", ".join(self._fields[name]._description_string(self.env) for name in changed),
                    )
                )
        return super().write(vals)

    @api.model
    def _get_for_type(self, channel_type, company):
        return self.search(
            [("channel_type", "=", channel_type), ("company_id", "=", company.id)], order="sequence, id", limit=1
        )

    # ------------------------------------------------------------------
    # Builder and transport dispatch (each channel type extends these)
    # ------------------------------------------------------------------
    def _build_files(self, move):
        """The files of ``move`` for this channel: list of dicts (name, raw, mimetype, main).

        Raise :class:`SysengageEinvoiceBuildError` naming the field when the data is incomplete.
        """
        raise SysengageEinvoiceBuildError(self.env._("Channel type %(type)s has no builder.", type=self.channel_type))

    def _transport(self, document, files):
        """Deliver ``files`` ({name: bytes}) of ``document``; return a dict with ``state`` (sent or
        acknowledged), optional ``external_id`` and ``message``. Raise a ``TransportError``."""
        raise SysengageEinvoiceBuildError(self.env._("Channel type %(type)s has no transport.", type=self.channel_type))

    def _requires_recipients(self):
        return False

    def _fetch_status(self, document):
        """The receiver's verdict on a sent document: ``(state, message)`` with state acknowledged or
        rejected, or ``(False, False)`` when the channel has no status or nothing changed."""
        return False, False

    # ------------------------------------------------------------------
    # Shared helpers for builders
    # ------------------------------------------------------------------
    def _uses_invoice_pdf(self):
        """Whether the builder of this channel renders the invoice PDF (batched ahead of the build)."""
        return self.channel_type in ("ebill", "tungsten", "conextrade", "email", "paper")

    def _invoice_pdf_report(self, move):
        return move.partner_id.commercial_partner_id.invoice_template_pdf_report_id or self.env.ref(
            "account.account_invoices"
        )

    def _invoice_pdf_options(self):
        """The report options (``ReportOptions``) of the invoice PDF of this channel (e.g. the paper
        channel forces the payment part)."""
        return ReportOptions()

    def _pdf_cache_key(self, report, move, options):
        return (report.id, move.id, str(move.write_date), options, self.env.uid)

    def _invoice_pdf(self, move):
        """The invoice PDF as printed (with the QR-bill payment part when the invoice wants it);
        taken from the batch rendered by :meth:`_prefetch_invoice_pdfs` when there is one."""
        report = self._invoice_pdf_report(move)
        options = self._invoice_pdf_options()
        cached = self.env.cr.cache.get(PDF_CACHE, {}).pop(self._pdf_cache_key(report, move, options), None)
        if cached:
            return cached
        content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            report, move.ids, data=with_options({}, self._ged_render_options(options, move))
        )
        return content

    @api.model
    def _ged_render_options(self, options, move=None):
        """``options`` with what the GED archive reads (sysengage_ged, not a dependency: ignored where it
        is not installed) when the invoice PDF of a build is rendered. The build is a "dispatch" event
        of the invoice's archive (the archived PDF is the one sent); a payment part forced on an invoice
        archived without one (``move``), or on a batch of invoices (no ``move``), needs a fresh
        rendering, which is not archived (the batches of :meth:`_prefetch_invoice_pdfs` group the invoices
        by the options of each)."""
        fresh = options.force_payment_part and not (move and move._sysengage_wants_payment_part())
        return replace(options, archive_event="dispatch", fresh_render=bool(fresh))

    @api.model
    def _prefetch_invoice_pdfs(self, documents):
        """Render the invoice PDFs the builders of ``documents`` will need in a few wkhtmltopdf runs
        (per report and rendering, batches of records) instead of one or two runs per invoice; the
        builders then take them from the cursor cache. Only the last prefetched batch is kept. Each
        invoice is rendered as its builder alone would render it: an archived invoice whose archive holds
        what the channel prints is not rendered again (its archived PDF is taken)."""
        groups = defaultdict(list)
        for document in documents:
            channel, move = document.channel_id, document.move_id
            if not move or not channel._uses_invoice_pdf():
                continue
            options = channel._invoice_pdf_options()
            groups[(channel._invoice_pdf_report(move), options, self._ged_render_options(options, move))].append(move)
        cache = self.env.cr.cache[PDF_CACHE] = {}
        for (report, options, render_options), moves in groups.items():
            moves = self.env["account.move"].union(*moves)
            if len(moves) < 2:
                continue  # nothing to gain over the builder's own rendering
            try:
                with self.env.cr.savepoint():
                    pdfs = self.env["ir.actions.report"]._sysengage_render_pdf_batch(report, moves.ids, render_options)
            except UserError as error:
                # e.g. one QR-bill payload refused: each builder renders its own PDF and keeps its error
                _logger.info("Batched invoice PDFs not rendered: %s", error)
                continue
            for move in moves:
                cache[self._pdf_cache_key(report, move, options)] = pdfs[move.id]

    def _file_base(self, move):
        return (move.name or str(move.id)).replace("/", "_")

    def _require(self, record, field_name, label):
        if not record[field_name]:
            raise SysengageEinvoiceBuildError(
                self.env._(
                    "%(field)s is missing on %(record)s (required by channel %(channel)s).",
                    field=label,
                    record=record.display_name,
                    channel=self.display_name,
                )
            )
        return record[field_name]

    def _sudo_secret(self, field_name):
        # Secrets are readable by system users only; the transport reads them for this one channel.
        return self.sudo()[field_name]
