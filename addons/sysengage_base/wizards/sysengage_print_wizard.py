from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.sysengage_event_mixin import keeps_history


class SysengagePrintWizard(models.TransientModel):
    """Print a document: on a printer, as a PDF download, or by e-mail (with the PDF attached).

    The PDF is rendered by a QWeb report, or, for records of a ``sysengage.print.file.mixin`` model
    (e.g. a GED document), it is the file the record stores.
    """

    _name = "sysengage.print.wizard"
    _description = "Sysengage Print"

    res_model = fields.Char(required=True, readonly=True)
    res_ids = fields.Json(required=True, readonly=True)
    record_count = fields.Integer(compute="_compute_record_count", string="Documents")
    print_source = fields.Selection(
        [("report", "Report"), ("file", "Stored PDF")],
        string="Printed From",
        compute="_compute_print_source",
    )
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Report",
        domain="[('model', '=', res_model), ('report_type', '=', 'qweb-pdf')]",
    )
    profile_id = fields.Many2one("sysengage.print.profile", compute="_compute_profile_id", string="Print Profile")
    mode = fields.Selection(
        [("printer", "Printer"), ("browser", "Local printer (browser)"), ("download", "PDF"), ("email", "E-mail")],
        compute="_compute_from_profile",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    printer_name = fields.Char(
        string="Printer", compute="_compute_from_profile", store=True, readonly=False, precompute=True
    )
    copies = fields.Integer(compute="_compute_from_profile", store=True, readonly=False, precompute=True)
    attach_pdf = fields.Boolean(related="profile_id.attach_pdf", string="PDF Attached to the Record")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model and ids:
            values.setdefault("res_model", model)
            values.setdefault("res_ids", ids)
            if "report_id" in fields_list and not values.get("report_id") and not self._is_file_model(model):
                values["report_id"] = self._get_default_report(model).id
        return values

    @api.model
    def _get_default_report(self, model):
        reports = self.env["ir.actions.report"].search(
            [("model", "=", model), ("report_type", "=", "qweb-pdf")], order="binding_model_id, id"
        )
        with_profile = reports.filtered(lambda report: report.sysengage_print_profile_ids)
        bound = reports.filtered("binding_model_id")
        return with_profile[:1] or bound[:1] or reports[:1]

    @api.model
    def _is_file_model(self, model):
        """Whether records of ``model`` are printed from the PDF they store (sysengage.print.file.mixin)."""
        # a model name given as data (the wizard's res_model): unknown names are not file models
        return model in self.env and isinstance(self.env[model], self.env.registry["sysengage.print.file.mixin"])

    @api.depends("res_model")
    def _compute_print_source(self):
        for wizard in self:
            wizard.print_source = "file" if wizard._is_file_model(wizard.res_model) else "report"

    @api.depends("res_ids")
    def _compute_record_count(self):
        for wizard in self:
            wizard.record_count = len(wizard.res_ids or [])

    @api.depends("report_id")
    def _compute_profile_id(self):
        profile_model = self.env["sysengage.print.profile"]
        for wizard in self:
            wizard.profile_id = profile_model._get_profile(wizard.report_id) if wizard.report_id else False

    @api.depends("report_id")
    def _compute_from_profile(self):
        profile_model = self.env["sysengage.print.profile"]
        for wizard in self:
            profile = profile_model._get_profile(wizard.report_id) if wizard.report_id else profile_model
            if profile.send_by_email:
                wizard.mode = "email"
            elif profile.printer_name:
                wizard.mode = "printer"
            else:
                wizard.mode = "download"
            wizard.printer_name = profile.printer_name
            wizard.copies = profile.copies or 1

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_print(self):
        self.ensure_one()
        records = self._get_records()
        if self.print_source == "file":
            return self._print_files(records)
        if not self.report_id:
            raise UserError(self.env._("Choose the report to print."))
        if self.mode == "download":
            # the browser downloads through /report/download, where the download is logged and attached
            return self.report_id.report_action(records, config=False)
        if self.mode == "printer":
            return self._print_on_printer(records)
        if self.mode == "browser":
            return self._print_in_browser(records)
        return self._open_mail_composer(records)

    def _get_records(self):
        records = self.env[self.res_model].browse(self.res_ids).exists()
        if not records:
            raise UserError(self.env._("The documents to print no longer exist."))
        records.check_access("read")
        return records

    def _print_on_printer(self, records):
        report = self.report_id
        content = report._render_qweb_pdf(report, records.ids)[0]
        self._send_to_printer(content, report.name)
        description = self.env._(
            "Printed %(report)s on %(printer)s (%(copies)s copies)",
            report=report.name,
            printer=self.printer_name,
            copies=self.copies,
        )
        self.env["ir.actions.report"]._sysengage_after_print(report, records, content, "print", description)
        return self._printed_notification(report.name)

    def _send_to_printer(self, content, title):
        if self.copies < 1:
            raise UserError(self.env._("Print at least one copy."))
        self.env["sysengage.print.profile"]._sysengage_send_to_printer(
            self.printer_name, content, copies=self.copies, title=title
        )

    def _print_files(self, records):
        """Print, open, download or e-mail the PDF files the records store (sysengage.print.file.mixin)."""
        # read (and check) every file first: a file that is not a PDF stops here, in the dialog
        name, content = records._sysengage_print_files_pdf()
        if self.mode in ("download", "browser"):
            ids = ",".join(str(record_id) for record_id in records.ids)
            if keeps_history(records) and self.mode == "browser":
                records._sysengage_log_event("print", self.env._("Opened %(file)s for the local printer", file=name))
            suffix = "?download=1" if self.mode == "download" else ""
            return {
                "type": "ir.actions.act_url",
                "url": f"/sysengage/print/file/{records._name}/{ids}{suffix}",
                "target": "new" if self.mode == "browser" else "self",
            }
        if self.mode == "printer":
            self._send_to_printer(content, name)
            if keeps_history(records):
                records._sysengage_log_event(
                    "print",
                    self.env._(
                        "Printed %(file)s on %(printer)s (%(copies)s copies)",
                        file=name,
                        printer=self.printer_name,
                        copies=self.copies,
                    ),
                )
            return self._printed_notification(name)
        return self._open_mail_composer(records, file=(name, content))

    def _printed_notification(self, title):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(report)s sent to %(printer)s.", report=title, printer=self.printer_name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _print_in_browser(self, records):
        """Open the PDF in a new browser tab, to print it on the user's own printer.

        For hosted databases and desk printers the server cannot reach. The PDF route is read-only, so
        the print is logged here, before the browser asks for it.
        """
        report = self.report_id
        if keeps_history(records):
            records._sysengage_log_event(
                "print", self.env._("Opened %(report)s for the local printer", report=report.name)
            )
        ids = ",".join(str(record_id) for record_id in records.ids)
        return {
            "type": "ir.actions.act_url",
            "url": f"/report/pdf/{report.report_name}/{ids}",
            "target": "new",
        }

    def _open_mail_composer(self, records, file=None):
        """The mail composer with the PDF attached: the report's, or ``file`` (name, bytes) when given."""
        if len(records) != 1:
            raise UserError(self.env._("Send one document at a time by e-mail."))
        report = self.report_id
        template = self.profile_id.mail_template_id
        composer_ctx = {
            "default_model": records._name,
            "default_res_ids": records.ids,
            "default_composition_mode": "comment",
            "default_email_layout_xmlid": "mail.mail_notification_layout_with_responsible_signature",
        }
        composer_vals = {"template_id": template.id} if template else {}
        if not template:
            composer_vals.update(
                {
                    "subject": records.display_name,
                    "partner_ids": [Command.set(self._get_default_recipients(records).ids)],
                }
            )
        composer = self.env["mail.compose.message"].with_context(**composer_ctx).create(composer_vals)
        if file or report not in template.report_template_ids:
            if file:
                name, content = file
            else:
                content = report._render_qweb_pdf(report, records.ids)[0]
                name = report._sysengage_attachment_name(report, records)
            attachment = self.env["ir.attachment"].create(
                {
                    "name": name,
                    "raw": content,
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                    "mimetype": "application/pdf",
                }
            )
            composer.attachment_ids = [Command.link(attachment.id)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send by E-mail"),
            "res_model": "mail.compose.message",
            "res_id": composer.id,
            "views": [(False, "form")],
            "target": "new",
            "context": composer_ctx,
        }

    def _get_default_recipients(self, records):
        if self._is_file_model(records._name):
            return records._sysengage_print_recipients()
        if records._name == "res.partner":
            return records
        if "partner_id" in records._fields:
            return records.partner_id
        return self.env["res.partner"]
