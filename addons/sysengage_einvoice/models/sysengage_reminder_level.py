from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Swiss practice when the company has no levels yet: 1st reminder, 2nd reminder, last notice
DEFAULT_LEVELS = (
    ("sysengage_einvoice.sysengage_reminder_level_1", "1st reminder", 10, ""),
    ("sysengage_einvoice.sysengage_reminder_level_2", "2nd reminder", 30, ""),
    ("sysengage_einvoice.sysengage_reminder_level_3", "Last notice", 45, ""),
)


class SysengageReminderLevel(models.Model):
    """A payment reminder level of a company: when it is due (days after the invoice's due date),
    its title on the letter, the payment period asked for and an optional fee text."""

    _name = "sysengage.reminder.level"
    _description = "Payment reminder level"
    _order = "company_id, delay, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, help="Title of the reminder letter, e.g. 1st reminder.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    delay = fields.Integer(string="Days after due date", required=True, help="Sent this many days after the due date.")
    payment_days = fields.Integer(
        string="Pay within (days)", default=10, help="Payment period asked for in the letter."
    )
    fee_text = fields.Text(
        string="Fee text",
        translate=True,
        help="Printed on the letter, e.g. 'A reminder fee of CHF 20.00 will be charged.'",
    )
    note = fields.Text(string="Additional text", translate=True, help="Extra paragraph printed on the letter.")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company currency")
    fee_amount = fields.Monetary(
        string="Fee",
        currency_field="company_currency_id",
        help="Reminder fee charged for a reminder of this level (converted to the reminder's currency).",
    )
    fee_invoicing = fields.Selection(
        [
            ("none", "Not invoiced"),
            ("separate", "Separate fee invoice"),
            ("next_invoice", "On the next invoice"),
        ],
        string="Fee invoicing",
        required=True,
        default="separate",
        help="Separate fee invoice: a posted invoice with the fee (and its QR-bill) once the reminder is sent. "
        "On the next invoice: the fee is added once as a line to the customer's next invoice.",
    )
    fee_product_id = fields.Many2one(
        "product.product",
        string="Fee product",
        check_company=True,
        default=lambda self: self.env.ref("sysengage_einvoice.product_reminder_fee", raise_if_not_found=False),
        help="Product of the fee line (its income account and taxes; by default no VAT: a reminder fee is "
        "compensation, outside the scope of Swiss VAT).",
    )
    is_last = fields.Boolean(string="Last notice", compute="_compute_is_last")
    reminder_count = fields.Integer(compute="_compute_reminder_count")

    _delay_unique = models.Constraint("UNIQUE(company_id, delay)", "Two reminder levels cannot have the same delay.")
    _delay_positive = models.Constraint("CHECK(delay >= 0)", "The delay of a reminder level cannot be negative.")
    _fee_positive = models.Constraint("CHECK(fee_amount >= 0)", "The fee of a reminder level cannot be negative.")

    @api.constrains("fee_amount", "fee_invoicing", "fee_product_id")
    def _check_fee_product(self):
        for level in self:
            if level.fee_amount and level.fee_invoicing != "none" and not level.fee_product_id:
                raise ValidationError(
                    self.env._("The reminder level %(level)s invoices a fee: choose its fee product.", level=level.name)
                )

    @api.depends("delay", "company_id")
    def _compute_is_last(self):
        last = {
            company.id: delay
            for company, delay in self._read_group(
                [("company_id", "in", self.company_id.ids)], ["company_id"], ["delay:max"]
            )
        }
        for level in self:
            level.is_last = level.delay >= last.get(level.company_id.id, 0)

    def _compute_reminder_count(self):
        counts = dict(
            self.env["sysengage.reminder"]._read_group([("level_id", "in", self.ids)], ["level_id"], ["__count"])
        )
        for level in self:
            level.reminder_count = counts.get(level, 0)

    @api.model
    def _set_default_fee_product(self):
        product = self.env.ref("sysengage_einvoice.product_reminder_fee", raise_if_not_found=False)
        if product:
            self.sudo().with_context(active_test=False).search([("fee_product_id", "=", False)]).write(
                {"fee_product_id": product.id}
            )

    @api.model
    def _sync_default_translations(self, langs):
        """Translate the default levels of every company in ``langs`` as their template (the main company's level
        of the same delay) is translated, where a level still has the template's English text and no translation
        of its own (a text a user changed or translated is left alone)."""
        langs = [lang for lang in langs if lang != "en_US"]
        if not langs:
            return
        # the levels of all companies, in sudo: this runs when translations are loaded (install, new language)
        levels = self.sudo().with_context(active_test=False)
        for xmlid, _name, _delay, _fee_text in DEFAULT_LEVELS:
            template = self.env.ref(xmlid, raise_if_not_found=False)
            if not template:
                continue
            template = template.sudo()
            copies = levels.search([("id", "!=", template.id), ("delay", "=", template.delay)])
            for field_name in ("name", "fee_text", "note"):
                english = template.with_context(lang="en_US")[field_name]
                if not english:
                    continue
                same = copies.filtered(lambda level, f=field_name, e=english: level.with_context(lang="en_US")[f] == e)
                for lang in langs:
                    translated = template.with_context(lang=lang)[field_name]
                    if translated == english:
                        continue
                    untranslated = same.with_context(lang=lang).filtered(
                        lambda level, f=field_name, e=english: level[f] == e
                    )
                    for level in untranslated:
                        # this language only: a plain write in a language would also replace the English text
                        # of a record that has no translation yet
                        level._update_field_translations(field_name, {lang: translated})

    @api.model
    def _create_defaults(self, companies=None):
        """Give ``companies`` (default: all) without levels the default levels, copied from the main
        company's data records so that their translations come along."""
        companies = companies if companies is not None else self.env["res.company"].sudo().search([])
        with_levels = set(self.sudo().search([("company_id", "in", companies.ids)]).company_id.ids)
        created = self.browse()
        for company in companies.filtered(lambda c: c.id not in with_levels):
            for xmlid, name, delay, fee_text in DEFAULT_LEVELS:
                # the templates belong to the main company and levels are company configuration: read and
                # copied in sudo, for a new company, by whoever creates that company
                template = self.env.ref(xmlid, raise_if_not_found=False)
                template = template.sudo() if template else template
                vals = {"company_id": company.id, "delay": delay}
                if template and template.company_id != company:
                    created |= template.copy(vals)
                elif not template:
                    created |= self.sudo().create(dict(vals, name=name, fee_text=fee_text or False))
        return created
