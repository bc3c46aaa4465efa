from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.sysengage_base.tools.report_options import as_options

from ..tools.amount_words import amount_to_words
from ..tools.qr_reference import clean_reference, is_valid_qrr, make_qrr, qrr_error
from ..tools.swico import BillingInformation, build_s1

# the transaction lock the demo jobs that render the demo invoices take (see sysengage_ged's demo archive job)
DEMO_LOCK = "sysengage_demo_invoices"


class AccountMove(models.Model):
    _inherit = "account.move"

    sysengage_qr_payment_part = fields.Selection(
        [("default", "Customer default"), ("with", "With payment part"), ("without", "Without payment part")],
        string="QR-bill payment part",
        default="default",
        copy=False,
        help="Print the QR-bill payment part with this invoice; 'Customer default' follows the customer.",
    )
    sysengage_print_payment_part = fields.Boolean(
        string="Print payment part", compute="_compute_sysengage_print_payment_part"
    )
    sysengage_amount_words = fields.Char(string="Amount in words", compute="_compute_sysengage_amount_words")
    sysengage_qr_warning = fields.Text(
        string="QR-bill problems",
        compute="_compute_sysengage_qr_warning",
        help="What would stop the QR-bill of this invoice (SIX IG 2.3 limits and character set), shown before posting.",
    )
    # e-invoice documents are for the e-invoice users: an accountant without that group still opens invoices
    sysengage_einvoice_document_ids = fields.One2many(
        "sysengage.einvoice.document",
        "move_id",
        string="E-invoice documents",
        readonly=True,
        groups="sysengage_einvoice.group_user",
    )
    sysengage_einvoice_document_count = fields.Integer(
        compute="_compute_sysengage_einvoice_document_count", groups="sysengage_einvoice.group_user"
    )
    sysengage_reminder_line_ids = fields.One2many(
        "sysengage.reminder.line", "move_id", string="Payment reminders", readonly=True
    )
    sysengage_reminder_level_id = fields.Many2one(
        "sysengage.reminder.level",
        string="Reminder level",
        compute="_compute_sysengage_reminder",
        store=True,
        help="Highest payment reminder level this invoice reached.",
    )
    sysengage_last_reminder_date = fields.Date(
        string="Last reminder", compute="_compute_sysengage_reminder", store=True
    )
    sysengage_reminder_blocked = fields.Boolean(
        string="No reminders", copy=False, tracking=True, help="Never send payment reminders for this invoice."
    )
    sysengage_external_number = fields.Char(
        string="External number",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="Number of the invoice in the system it was imported from.",
    )

    @api.depends("sysengage_qr_payment_part", "partner_id.commercial_partner_id.sysengage_qr_payment_part")
    def _compute_sysengage_print_payment_part(self):
        for move in self:
            choice = move.sysengage_qr_payment_part
            if choice == "default" or not choice:
                choice = move.partner_id.commercial_partner_id.sysengage_qr_payment_part or "with"
            move.sysengage_print_payment_part = choice == "with"

    @api.depends("amount_total", "currency_id", "partner_id.lang")
    def _compute_sysengage_amount_words(self):
        for move in self:
            lang = move.partner_id.lang or self.env.lang or "fr_CH"
            move.sysengage_amount_words = amount_to_words(
                move.currency_id.round(move.amount_total), lang, move.currency_id.name, move.currency_id.decimal_places
            )

    @api.depends(
        "state",
        "move_type",
        "partner_id",
        "partner_bank_id",
        "payment_reference",
        "currency_id",
        "company_id",
    )
    def _compute_sysengage_qr_warning(self):
        for move in self:
            errors = move._sysengage_qr_errors() if move.state == "draft" else []
            move.sysengage_qr_warning = "\n".join(errors) or False

    def _sysengage_qr_errors(self, with_missing=True):
        """The QR-bill problems of this customer invoice (translated, naming field and partner); [] when the
        invoice gets no Swiss QR-bill. In draft on a QR-IBAN the QR reference is reserved at posting."""
        self.ensure_one()
        if not self.partner_bank_id or not self.partner_id or not self.l10n_ch_is_qr_valid:
            return []
        if self.qr_code_method and self.qr_code_method != "ch_qr":
            return []
        reference = self.payment_reference
        if self.state == "draft" and self.partner_bank_id.l10n_ch_qr_iban and not clean_reference(reference).isdigit():
            reference = make_qrr("1")  # placeholder: the real QR reference is reserved at posting
        communication = self.payment_reference or (self.name if self.name != "/" else "")
        return self.partner_bank_id._sysengage_qr_source_errors(
            self.partner_id, reference, communication, with_missing=with_missing
        )

    @api.depends("sysengage_reminder_line_ids.level_id", "sysengage_reminder_line_ids.reminder_id.date")
    def _compute_sysengage_reminder(self):
        for move in self:
            lines = move.sysengage_reminder_line_ids.sorted(lambda line: (line.level_id.delay, line.id))
            move.sysengage_reminder_level_id = lines[-1:].level_id
            move.sysengage_last_reminder_date = max(lines.reminder_id.mapped("date"), default=False)

    def _sysengage_wants_payment_part(self, profile=None, force=False):
        """Whether this print shows the QR-bill payment part: never once paid; always when ``force``
        (the paper channel, payment reminders); else the invoice's choice, else that of ``profile`` (the
        ``sysengage.print.profile`` of the report being printed), else the customer's.

        The report pipeline passes ``profile`` and ``force`` from the options of the rendering (report
        ``data``, see sysengage_base/tools/report_options.py), which a client cannot set."""
        self.ensure_one()
        if self.currency_id.is_zero(self.amount_residual):
            return False  # nothing left to pay: a QR-bill of 0.00 is invalid (l10n_ch refuses to make it)
        if force:
            return True
        if self.sysengage_qr_payment_part in ("with", "without"):
            return self.sysengage_qr_payment_part == "with"
        profile_choice = profile.sysengage_qr_payment_part if profile else False
        if profile_choice in ("with", "without"):
            return profile_choice == "with"
        return (self.partner_id.commercial_partner_id.sysengage_qr_payment_part or "with") == "with"

    def _sysengage_prints_payment_part(self, options=None):
        """Whether this invoice rendered with ``options``, the ``ReportOptions`` of the rendering (the
        report data, in a template the QWeb value ``sysengage_options``; anything else counts as no
        option), shows its payment part: :meth:`_sysengage_wants_payment_part` with the print profile
        and the forcing of those options."""
        options = as_options(options)
        profile = self.env["sysengage.print.profile"].browse(options.print_profile_id)
        return self._sysengage_wants_payment_part(profile=profile, force=options.force_payment_part)

    def _compute_sysengage_einvoice_document_count(self):
        counts = dict(
            self.env["sysengage.einvoice.document"]._read_group([("move_id", "in", self.ids)], ["move_id"], ["__count"])
        )
        for move in self:
            move.sysengage_einvoice_document_count = counts.get(move, 0)

    @api.constrains("payment_reference", "partner_bank_id", "state")
    def _check_sysengage_qr_reference(self):
        for move in self:
            if move.state != "posted" or not move.is_sale_document() or not move.partner_bank_id.l10n_ch_qr_iban:
                continue
            reference = clean_reference(move.payment_reference)
            # free text is replaced by a reserved QR reference at posting; digits must be a valid QRR
            error = reference.isdigit() and qrr_error(reference)
            if error:
                raise ValidationError(
                    self.env._(
                        "Payment Reference of %(invoice)s: %(reference)s is not a valid QR reference (%(reason)s). "
                        "Account %(account)s is a QR-IBAN, which needs a 27-digit QR reference.",
                        invoice=move.display_name,
                        reference=move.payment_reference,
                        reason=error,
                        account=move.partner_bank_id.acc_number,
                    )
                )

    # Override of account: reserve a QR reference at posting on a QR-IBAN, keep legacy ISR ones.
    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted:
            if move.move_type != "out_invoice" or not move.partner_bank_id.l10n_ch_qr_iban:
                continue
            reference = clean_reference(move.payment_reference)
            if is_valid_qrr(reference):
                if reference != move.payment_reference:
                    move.payment_reference = reference
                continue
            if reference.isdigit() and len(reference) == 27:
                continue  # wrong check digit: the constraint names the field
            vals = {"payment_reference": move._sysengage_reserve_qrr()}
            if move.payment_reference and not move.ref:
                vals["ref"] = move.payment_reference  # keep the free text the user typed
            move.write(vals)
        for move in posted:
            errors = move._sysengage_qr_errors(with_missing=False)
            if errors:
                raise UserError(
                    self.env._(
                        "The QR-bill of %(invoice)s for %(partner)s cannot be printed as it is:\n%(errors)s",
                        invoice=move.display_name,
                        partner=move.partner_id.display_name,
                        errors="\n".join(errors),
                    )
                )
        return posted

    def _sysengage_reserve_qrr(self):
        """The QR reference of a posted invoice: its sequence digits and its id, with a check digit."""
        self.ensure_one()
        digits = "".join(char for char in self.name or "" if char.isdigit())
        return make_qrr(f"{self.id:08d}{digits}"[-26:])

    def _sysengage_vat_detail(self):
        """VAT per tax code: list of dicts (tax, name, rate, base, amount) in the invoice currency."""
        self.ensure_one()
        bases = defaultdict(float)
        amounts = defaultdict(float)
        for line in self.invoice_line_ids.filtered(lambda aml: aml.display_type == "product"):
            for tax in line.tax_ids.flatten_taxes_hierarchy():
                bases[tax] += line.price_subtotal
        for line in self.line_ids.filtered("tax_line_id"):
            amounts[line.tax_line_id] += line.amount_currency * self.direction_sign
        detail = []
        for tax in sorted(set(bases) | set(amounts), key=lambda t: (t.sequence, t.amount, t.id)):
            detail.append(
                {
                    "tax": tax,
                    "name": tax.invoice_label or tax.name,
                    "rate": tax.amount if tax.amount_type == "percent" else 0.0,
                    "rate_label": f"{tax.amount:g} %" if tax.amount_type == "percent" else "",
                    "base": self.currency_id.round(bases[tax]),
                    "amount": self.currency_id.round(amounts[tax]),
                }
            )
        return detail

    def _sysengage_qr_code_vals(self):
        """The QR-bill code values of this invoice as core l10n_ch builds and checks them for its QR-bill
        (Swico billing information included): what its QR-bill page encodes; a bad value is raised."""
        self.ensure_one()
        bank = self.partner_bank_id.with_context(
            sysengage_qr_billing_information=BillingInformation(self._sysengage_qr_billing_information())
        )
        return bank._build_qr_code_vals(
            self.amount_residual,
            self.payment_reference or self.name,
            self.payment_reference,
            self.currency_id,
            self.partner_id,
            qr_method="ch_qr",
            silent_errors=False,
        )

    def _sysengage_qr_billing_information(self):
        """The Swico //S1/ string when the customer wants it, else ''."""
        self.ensure_one()
        if not self.partner_id.commercial_partner_id.sysengage_qr_swico:
            return ""
        conditions = []
        term = self.invoice_payment_term_id
        if term and term.early_discount:
            conditions.append((term.discount_percentage, term.discount_days))
        if self.invoice_date_due and self.invoice_date:
            conditions.append((0, (self.invoice_date_due - self.invoice_date).days))
        return build_s1(
            invoice_number=self.name,
            invoice_date=self.invoice_date,
            customer_reference=self.ref,
            vat_number=self.company_id.vat,
            vat_details=[(line["rate"], line["base"]) for line in self._sysengage_vat_detail() if line["rate"]],
            conditions=conditions,
        )

    def action_sysengage_einvoice_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_einvoice.sysengage_einvoice_document_action")
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"default_move_id": self.id}
        return action

    def action_sysengage_einvoice_queue(self):
        """Generate the e-invoice documents of the customer's channel and queue them for dispatch."""
        documents = self.env["sysengage.einvoice.document"]._create_for_moves(self)
        return documents._action_open()

    # ------------------------------------------------------------------
    # Demo data (called from demo/sysengage_einvoice_demo.xml only)
    # ------------------------------------------------------------------
    @api.model
    def _sysengage_demo_invoices(self, company_id):
        """Demo: post the QR-bill invoices of the demo company: three VAT rates in one invoice, an
        eBill customer, an export to France and to Germany, and one invoice already overdue."""
        company = self.env["res.company"].browse(company_id)
        company._sysengage_demo_prepare()
        today = fields.Date.context_today(self)
        ref = self.env.ref
        term_30 = ref("account.account_payment_term_30days", raise_if_not_found=False)
        specs = [
            (
                "sysengage_base.partner_leman_demo",
                6,
                [
                    ("sysengage_base.product_consulting_hour_demo", 6),
                    ("sysengage_base.product_handbook_demo", 3),
                    ("sysengage_base.product_seminar_night_demo", 4),
                ],
            ),
            (
                "sysengage_base.partner_alpina_demo",
                3,
                [
                    ("sysengage_base.product_firewall_demo", 2),
                    ("sysengage_base.product_consulting_hour_demo", 8),
                ],
            ),
            ("sysengage_base.partner_jura_demo", 50, [("sysengage_base.product_switch_demo", 3)]),
            ("sysengage_base.partner_prospect_valais_demo", 2, [("sysengage_base.product_project_management_demo", 5)]),
            ("sysengage_base.partner_schwarzwald_demo", 4, [("sysengage_base.product_consulting_hour_demo", 12)]),
            (
                "sysengage_base.partner_rhone_alpes_demo",
                1,
                [
                    ("sysengage_base.product_switch_demo", 4),
                    ("sysengage_base.product_consulting_hour_demo", 3),
                ],
            ),
        ]
        moves = self.with_company(company).create(
            [
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": ref(partner).id,
                    "invoice_date": today - relativedelta(days=days_ago),
                    "invoice_payment_term_id": term_30.id if term_30 else False,
                    "invoice_line_ids": [
                        Command.create({"product_id": ref(product).id, "quantity": quantity})
                        for product, quantity in lines
                    ],
                }
                for partner, days_ago, lines in specs
            ]
        )
        moves.action_post()
        return moves.ids

    @api.model
    def _sysengage_demo_dispatch(self, company):
        """Demo, once the server runs: queue the open invoices of the last ten days on their customers'
        channels and create the due payment reminders of ``company``; then turn the demo action off."""
        if not self.env.execute_query(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", DEMO_LOCK))[0][0]:
            # the demo archive job (sysengage_ged) is rendering the same invoices: run again in five minutes
            # rather than update them at the same time (a serialization failure at commit)
            return False
        admin = self.env.ref("base.user_admin")
        env_company = self.with_user(admin).with_context(allowed_company_ids=[company.id])
        today = fields.Date.context_today(self)
        moves = env_company.search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date", ">=", today - relativedelta(days=10)),
                ("sysengage_einvoice_document_ids", "=", False),
            ]
        ).filtered(lambda move: move.partner_id._sysengage_einvoice_channel_type())
        documents = self.env["sysengage.einvoice.document"].with_env(env_company.env)._create_for_moves(moves)
        reminders = self.env["sysengage.reminder"].with_env(env_company.env)._create_due_reminders(today)
        if self.env.context.get("ir_cron_progress_id"):
            # run by the demo's scheduled action: commit its work and switch it off (a one-time job)
            self.env["ir.cron"]._commit_progress(len(documents) + len(reminders), remaining=0, deactivate=True)
        return True
