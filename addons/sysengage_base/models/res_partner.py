import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..tools import swiss_identifiers

_logger = logging.getLogger(__name__)

POTENTIAL_RATINGS = [("0", "None"), ("1", "Low"), ("2", "Medium"), ("3", "High")]
CRON_BATCH_SIZE = 500


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Lifecycle, grouping codes and potential live on the commercial partner (the company, or a
    # person without company); its contacts and sites show the company's values.
    sysengage_lifecycle_state = fields.Selection(
        [("prospect", "Prospect"), ("customer", "Customer"), ("inactive", "Inactive")],
        string="Lifecycle",
        default="prospect",
        required=True,
        index=True,
        copy=False,
        tracking=True,
    )
    sysengage_inactive_date = fields.Date(string="Inactive since", copy=False, tracking=True)
    sysengage_inactive_reason = fields.Char(string="Inactivity reason", copy=False, tracking=True)
    sysengage_last_offer_date = fields.Date(
        string="Last offer",
        copy=False,
        index=True,
        help="Date of the latest offer made to this customer (written by the offers), used by the inactivity check.",
    )
    sysengage_grouping_code_ids = fields.Many2many(
        "sysengage.grouping.code",
        "sysengage_grouping_code_partner_rel",
        "partner_id",
        "grouping_code_id",
        string="Grouping codes",
    )
    sysengage_currency_id = fields.Many2one("res.currency", compute="_compute_sysengage_currency_id")
    sysengage_potential_amount = fields.Monetary(
        string="Yearly potential",
        currency_field="sysengage_currency_id",
        help="Business the customer could bring in a year, in the company currency.",
    )
    sysengage_potential_rating = fields.Selection(
        POTENTIAL_RATINGS, string="Potential rating", default="0", required=True, index=True
    )
    sysengage_is_commercial = fields.Boolean(
        string="Is a commercial partner",
        compute="_compute_sysengage_is_commercial",
        help="Companies, and persons without a company, carry the sales rep, lifecycle and grouping codes.",
    )
    # Totals over the partner and everything below it (companies of a group, sites, contacts)
    sysengage_rollup_revenue = fields.Monetary(
        string="Revenue of the year",
        currency_field="sysengage_currency_id",
        compute="_compute_sysengage_rollup",
        help="Posted customer invoices minus credit notes of the current year, untaxed, for this partner and all "
        "partners below it in the hierarchy.",
    )
    sysengage_rollup_open_offer_count = fields.Integer(string="Open offers", compute="_compute_sysengage_rollup")
    sysengage_rollup_open_offer_amount = fields.Monetary(
        string="Open offers amount", currency_field="sysengage_currency_id", compute="_compute_sysengage_rollup"
    )
    sysengage_child_company_count = fields.Integer(
        string="Companies of the group", compute="_compute_sysengage_child_counts"
    )
    sysengage_site_count = fields.Integer(string="Sites", compute="_compute_sysengage_child_counts")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_sysengage_currency_id(self):
        # potential and totals are expressed in the currency of the current company
        self.sysengage_currency_id = self.env.company.currency_id

    @api.depends("is_company", "parent_id")
    def _compute_sysengage_is_commercial(self):
        for partner in self:
            partner.sysengage_is_commercial = partner.is_company or not partner.parent_id

    @api.depends("child_ids.is_company", "child_ids.type")
    def _compute_sysengage_child_counts(self):
        for partner in self:
            partner.sysengage_child_company_count = len(partner.child_ids.filtered("is_company"))
            partner.sysengage_site_count = len(
                partner.child_ids.filtered(lambda child: not child.is_company and child.type in ("delivery", "other"))
            )

    @api.depends("parent_id", "is_company")
    def _compute_user_id(self):
        # Override of base: a contact always mirrors the sales rep of its commercial partner
        result = super()._compute_user_id()
        for partner in self:
            if partner.parent_id and not partner.is_company:
                partner.user_id = partner.parent_id.commercial_partner_id.user_id
        return result

    @api.depends_context("company")
    def _compute_sysengage_rollup(self):
        values = self._sysengage_compute_rollup()
        for partner in self:
            partner_values = values.get(partner._origin.id, {})
            partner.sysengage_rollup_revenue = partner_values.get("revenue", 0.0)
            partner.sysengage_rollup_open_offer_count = partner_values.get("open_offer_count", 0)
            partner.sysengage_rollup_open_offer_amount = partner_values.get("open_offer_amount", 0.0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("vat", "company_registry", "country_id")
    def _check_sysengage_swiss_identifiers(self):
        for partner in self:
            swiss = partner.country_id.code == "CH"
            uid_value = (partner.company_registry or "").strip()
            if self._sysengage_is_swiss_number(uid_value, swiss):
                error = self._sysengage_identifier_error(swiss_identifiers.validate_uid, uid_value)
                if error:
                    raise ValidationError(
                        self.env._(
                            "The UID %(uid)s of %(partner)s is not valid: %(error)s "
                            "A Swiss UID looks like CHE-123.456.789.",
                            uid=uid_value,
                            partner=partner.display_name,
                            error=error,
                        )
                    )
            vat_value = (partner.vat or "").strip()
            if self._sysengage_is_swiss_number(vat_value, swiss):
                error = self._sysengage_identifier_error(swiss_identifiers.validate_vat, vat_value)
                if error:
                    raise ValidationError(
                        self.env._(
                            "The VAT number %(vat)s of %(partner)s is not valid: %(error)s "
                            "A Swiss VAT number looks like CHE-123.456.789 MWST (or TVA, IVA).",
                            vat=vat_value,
                            partner=partner.display_name,
                            error=error,
                        )
                    )
            if (
                self._sysengage_is_swiss_number(uid_value, swiss)
                and self._sysengage_is_swiss_number(vat_value, swiss)
                and swiss_identifiers.compact(uid_value) != swiss_identifiers.split_vat(vat_value)[0]
            ):
                raise ValidationError(
                    self.env._(
                        "The VAT number %(vat)s of %(partner)s does not belong to its UID %(uid)s.",
                        vat=vat_value,
                        uid=uid_value,
                        partner=partner.display_name,
                    )
                )

    @api.model
    def _sysengage_is_swiss_number(self, value, swiss):
        """Numbers of the Swiss UID register (CHE-…), or bare digits on a Swiss partner, are validated;
        foreign numbers and the former commercial register numbers (CH-…) are left alone."""
        value = (value or "").strip().upper()
        return value.startswith("CHE") or (swiss and value[:1].isdigit())

    def _sysengage_identifier_error(self, validate, value):
        """A readable reason why ``validate`` (of ``tools.swiss_identifiers``) refuses ``value``, or ``""``."""
        try:
            validate(value)
        except swiss_identifiers.IdentifierError as error:
            return {
                "checksum": self.env._("the check digit does not match."),
                "length": self.env._("it does not have the right number of digits."),
                "format": self.env._("it contains characters that are not allowed."),
                "component": self.env._("its prefix or suffix is not recognised."),
            }.get(error.code, self.env._("it is not a valid number."))
        return ""

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _commercial_fields(self):
        # Override of base: the sales rep belongs to the company and is mirrored on its contacts
        return super()._commercial_fields() + ["user_id"]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._sysengage_check_rep_vals(vals)
            self._sysengage_format_identifiers(vals)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("user_id"):
            for partner in self:
                partner._sysengage_check_rep_vals(vals)
        self._sysengage_format_identifiers(vals)
        result = super().write(vals)
        if "user_id" in vals or "parent_id" in vals or "is_company" in vals:
            self._sysengage_sync_sales_rep()
        return result

    @api.model
    def _sysengage_check_rep_vals(self, vals):
        """Refuse a sales rep given to a contact when it is not the one of its company."""
        if not vals.get("user_id"):
            return
        is_company = vals.get("is_company", self.is_company if self else False)
        if vals.get("company_type"):
            is_company = vals["company_type"] == "company"
        parent = self.browse(vals["parent_id"]) if "parent_id" in vals else self.parent_id
        if is_company or not parent:
            return
        commercial = parent.commercial_partner_id
        if commercial.user_id.id != vals["user_id"]:
            raise ValidationError(
                self.env._(
                    "The sales rep is set on the company %(company)s, not on its contacts: "
                    "set it on the company and its contacts will follow.",
                    company=commercial.display_name,
                )
            )

    def _sysengage_sync_sales_rep(self):
        """Give contacts the sales rep of their company again (after a move to another company)."""
        for partner in self:
            if partner.parent_id and not partner.is_company:
                rep = partner.commercial_partner_id.user_id
                if partner.user_id != rep:
                    partner.write({"user_id": rep.id})

    @api.model
    def _sysengage_format_identifiers(self, vals):
        """Store Swiss UID and VAT numbers in their official format (CHE-123.456.789 MWST)."""
        for fname, fmt in (
            ("company_registry", swiss_identifiers.format_uid),
            ("vat", swiss_identifiers.format_vat),
        ):
            value = vals.get(fname)
            if isinstance(value, str) and value.strip().upper().startswith("CHE"):
                try:
                    vals[fname] = fmt(value)
                except swiss_identifiers.IdentifierError:
                    continue  # left as typed: the constraint names what is wrong

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_sysengage_mark_customer(self):
        self._sysengage_mark_customer()
        return True

    def action_sysengage_mark_inactive(self):
        partners = self.commercial_partner_id.filtered(lambda p: p.sysengage_lifecycle_state != "inactive")
        partners.write(
            {
                "sysengage_lifecycle_state": "inactive",
                "sysengage_inactive_date": fields.Date.context_today(self),
                "sysengage_inactive_reason": self.env._("Set inactive by %(user)s", user=self.env.user.name),
            }
        )
        return True

    def action_sysengage_open_hierarchy(self):
        self.ensure_one()
        root = self.commercial_partner_id
        while root.parent_id:
            root = root.parent_id.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hierarchy of %(partner)s", partner=root.display_name),
            "res_model": "res.partner",
            "view_mode": "hierarchy,list,form",
            "views": [
                (self.env.ref("sysengage_base.res_partner_view_hierarchy").id, "hierarchy"),
                (False, "list"),
                (False, "form"),
            ],
            "domain": [("id", "child_of", root.id)],
            "context": {"active_test": False},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _sysengage_mark_customer(self):
        """Make the commercial partners of ``self`` customers (an offer, order or contract was made).

        Prospects become customers, inactive customers are reactivated. Any addon calls it.
        """
        partners = self.commercial_partner_id.filtered(lambda p: p.sysengage_lifecycle_state != "customer")
        if partners:
            partners.write(
                {
                    "sysengage_lifecycle_state": "customer",
                    "sysengage_inactive_date": False,
                    "sysengage_inactive_reason": False,
                }
            )
        return partners

    @api.model
    def _sysengage_get_inactivity_domain(self, company, today):
        """Customers of ``company`` without any offer for the company's number of months.

        Customers with business still running (see :meth:`_sysengage_get_running_business_domain`)
        never become inactive, whatever the date of their last offer.
        """
        cutoff = today - relativedelta(months=company.sysengage_inactivity_months or 18)
        company_domain = Domain("company_id", "=", company.id)
        if company == self.env["res.company"].search([], limit=1, order="sequence, id"):
            # shared customers (no company) follow the setting of the main company
            company_domain |= Domain("company_id", "=", False)
        return (
            Domain("sysengage_lifecycle_state", "=", "customer")
            & (Domain("is_company", "=", True) | Domain("parent_id", "=", False))
            & company_domain
            & (
                Domain("sysengage_last_offer_date", "<", cutoff)
                | (
                    Domain("sysengage_last_offer_date", "=", False)
                    & Domain("create_date", "<", fields.Datetime.to_datetime(cutoff))
                )
            )
            & ~self._sysengage_get_running_business_domain(company, today)
        )

    @api.model
    def _sysengage_get_running_business_domain(self, company, today):
        """Commercial partners with business running in ``company`` on ``today``: an open invoice here.

        A seam: the addons owning other business (e.g. contracts) add theirs with ``super() | ...``.
        """
        open_invoices = (
            self.env["account.move"]
            .sudo()
            ._search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "!=", False),
                ]
            )
        )
        return Domain("id", "any!", open_invoices.subselect("commercial_partner_id"))

    @api.model
    def _cron_sysengage_mark_inactive_customers(self):
        """Daily: customers without an offer for N months (company setting) become inactive."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            domain = self._sysengage_get_inactivity_domain(company, today)
            months = company.sysengage_inactivity_months or 18
            reason = self.env._("No offer for %(months)s months", months=months)
            while True:
                partners = self.search(domain, limit=CRON_BATCH_SIZE, order="id")
                if not partners:
                    break
                partners.write(
                    {
                        "sysengage_lifecycle_state": "inactive",
                        "sysengage_inactive_date": today,
                        "sysengage_inactive_reason": reason,
                    }
                )
                _logger.info("%s customers of %s marked inactive", len(partners), company.name)
                remaining = self.env["ir.cron"]._commit_progress(len(partners))
                if not remaining:
                    return

    def _sysengage_get_hierarchy_ids(self):
        """``{partner id: set of ids of the partner and of every partner below it}`` (one search)."""
        roots = self._origin.filtered("id") if self else self
        if not roots:
            return {}
        descendants = self.with_context(active_test=False).search_fetch([("id", "child_of", roots.ids)], ["parent_id"])
        parent_of = {partner.id: partner.parent_id.id for partner in descendants}
        families = {root_id: set() for root_id in roots.ids}
        for partner_id in parent_of:
            ancestor_id = partner_id
            while ancestor_id:
                if ancestor_id in families:
                    families[ancestor_id].add(partner_id)
                ancestor_id = parent_of.get(ancestor_id)
        return families

    @api.model
    def _sysengage_rollup_aggregate(self, families, model_name, domain, partner_field, aggregate):
        """Sum ``aggregate`` of ``model_name`` records (``domain``) over each family of ``families``.

        One ``_read_group`` for all families; a partner belongs to every family listing it.
        :return: ``{root id: value}``
        """
        all_ids = set().union(*families.values()) if families else set()
        totals = dict.fromkeys(families, 0)
        if not all_ids or not self.env[model_name].has_access("read"):
            return totals
        groups = self.env[model_name]._read_group(
            Domain(domain) & Domain(partner_field, "in", list(all_ids)), [partner_field], [aggregate]
        )
        for partner, value in groups:
            for root_id, members in families.items():
                if partner.id in members:
                    totals[root_id] += value or 0
        return totals

    def _sysengage_compute_rollup(self):
        """Totals rolled up the hierarchy: ``{partner id: {"revenue", "open_offer_count", "open_offer_amount"}}``.

        Extension seam: the offers addon adds the open offers with ``super()`` and
        :meth:`_sysengage_rollup_aggregate`; base only knows the invoices.
        """
        families = self._sysengage_get_hierarchy_ids()
        today = fields.Date.context_today(self)
        revenue = self._sysengage_rollup_aggregate(
            families,
            "account.move",
            [
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("company_id", "=", self.env.company.id),
                ("invoice_date", ">=", today.replace(month=1, day=1)),
                ("invoice_date", "<=", today.replace(month=12, day=31)),
            ],
            "partner_id",
            "amount_untaxed_signed:sum",
        )
        return {
            root_id: {"revenue": revenue[root_id], "open_offer_count": 0, "open_offer_amount": 0.0}
            for root_id in families
        }
