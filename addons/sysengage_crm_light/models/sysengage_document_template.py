import base64

from odoo import api, fields, models
from odoo.exceptions import UserError


class SysengageDocumentTemplate(models.Model):
    """A letter or document for an external party, written in QWeb and translated per language.

    The subject and body are rendered on a customer or an opportunity in the recipient's language
    (the translations of the template), then printed on the company letterhead as a PDF.
    """

    _name = "sysengage.document.template"
    _inherit = ["mail.render.mixin"]
    _description = "Sysengage Document Template"
    _order = "sequence, name"
    _check_company_auto = True
    _unrestricted_rendering = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection([("letter", "Letter"), ("document", "Document")], required=True, default="letter")
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", index=True)
    model_id = fields.Many2one(
        "ir.model",
        string="Applies to",
        required=True,
        ondelete="cascade",
        domain="[('model', 'in', ('res.partner', 'crm.lead'))]",
        default=lambda self: self.env["ir.model"]._get("res.partner"),
    )
    model = fields.Char(related="model_id.model", store=True, index=True)
    subject = fields.Char(translate=True, render_engine="inline_template")
    body_html = fields.Html(
        string="Body", render_engine="qweb", translate=True, sanitize=False, sanitize_overridable=False
    )
    color = fields.Integer()
    language_names = fields.Char(string="Languages", compute="_compute_language_names")
    generated_count = fields.Integer(compute="_compute_generated_count")

    @api.depends("model")
    def _compute_render_model(self):
        for template in self:
            template.render_model = template.model

    def _compute_language_names(self):
        languages = self.env["res.lang"].search([("active", "=", True)])
        for template in self:
            translated = [lang.code for lang in languages if template.with_context(lang=lang.code).body_html]
            template.language_names = ", ".join(code.split("_")[0].upper() for code in translated)

    def _compute_generated_count(self):
        counts = dict(
            self.env["ir.attachment"]._read_group(
                [("description", "in", [template._attachment_tag() for template in self])],
                ["description"],
                ["__count"],
            )
        )
        for template in self:
            template.generated_count = counts.get(template._attachment_tag(), 0)

    def _attachment_tag(self):
        return f"sysengage.document.template,{self.id}"

    @api.model_create_multi
    def create(self, vals_list):
        models_by_id = {}
        for vals in vals_list:
            if not vals.get("lang") and vals.get("model_id"):
                model_id = vals["model_id"]
                models_by_id.setdefault(model_id, self.env["ir.model"].browse(model_id).model)
                vals["lang"] = self._get_lang_expression(models_by_id[model_id])
        return super().create(vals_list)

    @api.model
    def _get_lang_expression(self, model):
        """The recipient's language: the partner's, or the opportunity customer's."""
        if model == "crm.lead":
            return "{{ object.partner_id.lang or object.lang_code }}"
        return "{{ object.lang }}"

    @api.onchange("model_id")
    def _onchange_model_id(self):
        if self.model_id:
            self.lang = self._get_lang_expression(self.model_id.model)

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    def _sysengage_render(self, records):
        """{record id: (subject, body html)} rendered in each record's language."""
        self.ensure_one()
        if records._name != self.model:
            raise UserError(
                self.env._(
                    "The template %(name)s applies to %(model)s records.", name=self.name, model=self.model_id.name
                )
            )
        subjects = self._render_field("subject", records.ids, compute_lang=True)
        bodies = self._render_field("body_html", records.ids, compute_lang=True)
        return {record.id: (subjects.get(record.id) or "", bodies.get(record.id) or "") for record in records}

    def _sysengage_generate(self, records):
        """Render the template as one PDF per record, attached to the record (and archived in GED)."""
        self.ensure_one()
        report = self.env.ref("sysengage_crm_light.action_report_document_template")
        attachments = self.env["ir.attachment"]
        for record in records:
            # the report renders the stored template on the record itself (never markup handed to it)
            pdf, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
                report, [self.id], data={"record_model": record._name, "record_id": record.id}
            )
            attachment = self.env["ir.attachment"].create(
                {
                    "name": f"{self.name} - {record.display_name}.pdf",
                    "datas": base64.b64encode(pdf),
                    "res_model": record._name,
                    "res_id": record.id,
                    "mimetype": "application/pdf",
                    "description": self._attachment_tag(),
                }
            )
            record.message_post(
                body=self.env._("Document %(name)s generated.", name=self.name), attachment_ids=attachment.ids
            )
            self._archive_in_ged(attachment, record)
            attachments |= attachment
        return attachments

    def _archive_in_ged(self, attachment, record):
        """Hook: file the generated PDF ``attachment`` of ``record`` in a document archive.

        Nothing here; ``sysengage_crm_light_ged`` stores it as a GED document version.
        :return: the document created, or False
        """
        return False

    def action_generate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Generate %(name)s", name=self.name),
            "res_model": "sysengage.document.generate.wizard",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_template_id": self.id},
        }
