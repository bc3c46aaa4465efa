from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sysengage_inactivity_months = fields.Integer(
        string="Months without offer before inactive",
        default=18,
        help="A customer without any offer for this number of months becomes inactive (daily check).",
    )

    _sysengage_inactivity_months_positive = models.Constraint(
        "CHECK (sysengage_inactivity_months > 0)",
        "The number of months without offer before a customer becomes inactive must be positive.",
    )

    # ------------------------------------------------------------------
    # Demo data (called from demo/*.xml only)
    # ------------------------------------------------------------------
    def _sysengage_demo_prepare(self):
        """Demo: give the Swiss demo company its chart of accounts, the Swiss VAT rates on the demo
        products and its QR-IBAN on the sales journal; safe to call again from each addon's demo.

        The Swiss chart needs ``l10n_ch``: while it is still to be installed in the same run, the chart
        is left to the demo of the addons loaded after it; when it is not installed at all (this addon
        alone), the generic chart with the three Swiss VAT rates stands in."""
        for company in self:
            if not company.chart_template:
                state = self.env["ir.module.module"]._get("l10n_ch").state
                if state in ("to install", "to upgrade"):
                    continue
                template = "ch" if state == "installed" else "generic_coa"
                self.env["account.chart.template"].try_loading(template, company, install_demo=False)
                if template == "generic_coa":
                    company._sysengage_demo_swiss_taxes()
            company._sysengage_demo_product_taxes()
            company._sysengage_demo_sale_journal()
        return True

    def _sysengage_demo_swiss_taxes(self):
        """The Swiss VAT rates (8.1 % standard, 2.6 % reduced, 3.8 % accommodation) on a generic chart."""
        self.ensure_one()
        switzerland = self.env.ref("base.ch")
        self.account_fiscal_country_id = switzerland
        Tax = self.env["account.tax"].with_company(self)
        group = self.env["account.tax.group"].create(
            {"name": "MWST/TVA", "company_id": self.id, "country_id": switzerland.id}
        )
        taxes = Tax.create(
            [
                {
                    "name": f"{rate}%",
                    "amount": rate,
                    "amount_type": "percent",
                    "type_tax_use": "sale",
                    "company_id": self.id,
                    "tax_group_id": group.id,
                    "country_id": switzerland.id,
                }
                for rate in (8.1, 2.6, 3.8)
            ]
        )
        self.account_sale_tax_id = taxes[0]
        # the generic chart sets USD: the demo company keeps its francs (nothing is booked yet)
        self.currency_id = self.env.ref("base.CHF")

    def _sysengage_demo_sale_tax(self, rate):
        """The sale tax of the company at ``rate`` % (price excluded), or an empty recordset."""
        self.ensure_one()
        return self.env["account.tax"].search(
            [
                ("company_id", "=", self.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", rate),
                ("price_include", "=", False),
                ("active", "=", True),
            ],
            order="sequence, id",
            limit=1,
        )

    def _sysengage_demo_product_taxes(self):
        """The company's default sale tax on the products taxed elsewhere but not here (as core does
        when a chart is loaded, for the demo products created after it); books at 2.6 %, nights at 3.8 %."""
        self.ensure_one()
        if not self.account_sale_tax_id:
            return
        templates = (
            self.env["product.template"]
            .with_context(active_test=False)
            .search([("company_id", "in", [False, self.id])])
        )
        missing = templates.filtered(
            lambda product: product.taxes_id and not product.taxes_id.filtered(lambda tax: tax.company_id == self)
        )
        missing._force_default_sale_tax(self)
        for xmlid, rate in (
            ("sysengage_base.product_handbook_demo", 2.6),
            ("sysengage_base.product_seminar_night_demo", 3.8),
        ):
            product = self.env.ref(xmlid, raise_if_not_found=False)
            tax = self._sysengage_demo_sale_tax(rate)
            if product and tax:
                product.taxes_id = product.taxes_id.filtered(lambda t: t.company_id != self) | tax

    def _sysengage_demo_sale_journal(self):
        """The QR-IBAN on the company's sales journal (QR references at posting with l10n_ch)."""
        self.ensure_one()
        qr_account = self.env.ref("sysengage_base.res_partner_bank_qr_iban_demo", raise_if_not_found=False)
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.id), ("type", "=", "sale")], order="sequence, id", limit=1
        )
        if not qr_account or not journal:
            return
        vals = {"bank_account_id": qr_account.id}
        if "ch" in journal._fields["invoice_reference_model"].get_values(self.env):
            vals["invoice_reference_model"] = "ch"
        journal.write(vals)
