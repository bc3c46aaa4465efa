import base64

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.sysengage_ged.tools import pades

# the transaction lock the demo jobs that render the demo invoices take (see sysengage_einvoice's demo dispatch)
DEMO_LOCK = "sysengage_demo_invoices"


class ResCompany(models.Model):
    _inherit = "res.company"

    sysengage_ged_max_file_size = fields.Integer(
        string="Maximum Document Size (MB)", default=25, help="Larger uploads are refused. 0 means no limit."
    )
    sysengage_ged_archive_enabled = fields.Boolean(
        string="Archive Posted Invoices",
        help="Keep every posted, printed or sent customer invoice as a signed and timestamped archive.",
    )
    sysengage_ged_tsa_url = fields.Char(
        string="Time-Stamping Authority URL", help="RFC 3161 endpoint, e.g. http://timestamp.example.ch/tsa"
    )
    sysengage_ged_tsa_ca_cert = fields.Binary(
        string="TSA Root Certificate",
        help="PEM or DER certificate of the authority's root, used to check the timestamps' trust.",
    )
    sysengage_ged_retention_years = fields.Integer(string="Archive Retention (years)", default=10)
    sysengage_ged_cert_file = fields.Binary(
        string="Signing Certificate (PKCS#12)", groups="base.group_system", attachment=True
    )
    sysengage_ged_cert_password = fields.Char(string="Certificate Password", groups="base.group_system")
    sysengage_ged_cert_subject = fields.Char(
        string="Certificate Subject", compute="_compute_sysengage_ged_cert_subject", groups="base.group_system"
    )

    @api.constrains("sysengage_ged_retention_years", "sysengage_ged_max_file_size")
    def _check_sysengage_ged_numbers(self):
        for company in self:
            if company.sysengage_ged_retention_years < 1:
                raise ValidationError(self.env._("The archive retention must be at least one year."))
            if company.sysengage_ged_max_file_size < 0:
                raise ValidationError(self.env._("The maximum document size cannot be negative."))

    @api.constrains("sysengage_ged_cert_file", "sysengage_ged_cert_password")
    def _check_sysengage_ged_certificate(self):
        for company in self.sudo():
            if company.sysengage_ged_cert_file:
                company._sysengage_ged_signing_bundle()

    @api.constrains("sysengage_ged_tsa_ca_cert")
    def _check_sysengage_ged_tsa_ca_cert(self):
        for company in self.filtered("sysengage_ged_tsa_ca_cert"):
            try:
                pades.load_certificates(base64.b64decode(company.sysengage_ged_tsa_ca_cert))
            except (ValueError, TypeError) as exc:
                raise ValidationError(self.env._("The TSA root certificate cannot be read.")) from exc

    def _compute_sysengage_ged_cert_subject(self):
        for company in self:
            bundle = company._sysengage_ged_signing_bundle(raise_on_error=False)
            company.sysengage_ged_cert_subject = bundle and f"{bundle['subject']} ({bundle['not_after'].date()})"

    def _sysengage_ged_signing_bundle(self, raise_on_error=True):
        """Key and certificate of the company (None when none is configured)."""
        self.ensure_one()
        if not self.sysengage_ged_cert_file:
            return None
        try:
            return pades.load_pkcs12(
                base64.b64decode(self.sysengage_ged_cert_file), self.sysengage_ged_cert_password or ""
            )
        except pades.CertificateError as exc:
            if not raise_on_error:
                return None
            raise ValidationError(
                self.env._(
                    "The signing certificate of %(company)s cannot be used: wrong password or not a "
                    "PKCS#12 (.p12/.pfx) file with a private key.",
                    company=self.name,
                )
            ) from exc

    # ------------------------------------------------------------------
    # Demo data (called from demo/sysengage_ged_demo.xml only)
    # ------------------------------------------------------------------
    @api.model
    def _sysengage_ged_demo_company(self):
        """The Sysengage demo company when sysengage_base's demo is there, else the main company."""
        return self.env.ref("sysengage_base.res_company_demo", raise_if_not_found=False) or self.env.ref(
            "base.main_company"
        )

    @api.model
    def _sysengage_ged_demo_certificate(self):
        """Demo: a self-signed signing certificate for the archive of the demo company, made here with a
        fresh key (no private key lives in the repository). It proves nothing to a third party: in
        production, upload the company's own PKCS#12 (.p12/.pfx) in Settings › Documents › Invoice
        archive, with its password, and set the time-stamping authority URL."""
        company = self._sysengage_ged_demo_company()
        if company.sudo().sysengage_ged_cert_file:
            return True
        password = "demo-archive"
        bundle = pades.make_self_signed_pkcs12(
            f"{company.name} (demo archive seal, not for production)",
            company.name,
            company.country_id.code or "CH",
            password,
        )
        # sudo: the certificate fields are kept for system administrators (demo loading runs as superuser)
        company.sudo().write(
            {"sysengage_ged_cert_file": base64.b64encode(bundle), "sysengage_ged_cert_password": password}
        )
        return True

    @api.model
    def _sysengage_ged_demo_archive(self):
        """Demo, once the server runs (the archive keeps the printed PDF, with its styles): switch the
        invoice archive on for the demo company and archive its posted customer invoices; then turn
        the demo action off."""
        if not self.env.execute_query(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", DEMO_LOCK))[0][0]:
            # the demo dispatch job (sysengage_einvoice) is rendering the same invoices: run again in five
            # minutes rather than update them at the same time (a serialization failure at commit)
            return False
        company = self._sysengage_ged_demo_company()
        company.sysengage_ged_archive_enabled = True
        moves = (
            self.env["account.move"]
            .with_company(company)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("sysengage_ged_archive_ids", "=", False),
                ],
                order="invoice_date, id",
            )
        )
        archives = moves._sysengage_ged_to_archive()._sysengage_ged_archive("post")
        archives._ged_timestamp(raise_on_error=False)
        if self.env.context.get("ir_cron_progress_id"):
            # run by the demo's scheduled action: commit its work and switch it off (a one-time job)
            self.env["ir.cron"]._commit_progress(len(archives), remaining=0, deactivate=True)
        return True
