from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, is_html_empty

from ..tools.condition_matching import OfferFacts, select_conditions

# changes of these order fields may change which conditions apply
CONDITION_TRIGGER_FIELDS = {"partner_id", "order_line", "company_id", "date_order", "currency_id", "pricelist_id"}


class SaleOrder(models.Model):
    _name = "sale.order"
    # mail.thread is listed again after the event mixin (which extends it) so that it comes after it
    # in the class hierarchy: sale.order inherits mail.thread directly
    _inherit = ["sale.order", "sysengage.event.mixin", "mail.thread", "sysengage.approval.mixin"]
    # logged in the event history besides the tracked fields
    _sysengage_event_fields = ("validity_date", "client_order_ref", "sysengage_lost_reason_id")

    # the texts of one document, written for its customer: one value whatever the user's language (the
    # template's texts are translated and copied in the customer's language)
    sysengage_intro_text = fields.Html("Introduction", sanitize_attributes=True)
    sysengage_closing_text = fields.Html("Closing text", sanitize_attributes=True)
    sysengage_condition_line_ids = fields.One2many(
        "sysengage.offer.condition.line", "order_id", string="Conditions", copy=True
    )
    sysengage_dropped_condition_ids = fields.Many2many(
        "sysengage.offer.condition",
        "sysengage_sale_order_dropped_condition_rel",
        string="Conditions dropped by hand",
        copy=True,
        help="Conditions removed by the user: they are not added again automatically.",
    )
    # partial acceptance: an order made from an offer points to it
    sysengage_offer_id = fields.Many2one(
        "sale.order", string="Accepted offer", copy=False, index="btree_not_null", readonly=True, check_company=True
    )
    sysengage_acceptance_order_ids = fields.One2many(
        "sale.order", "sysengage_offer_id", string="Orders from this offer"
    )
    sysengage_acceptance_order_count = fields.Integer(
        "Accepted orders", compute="_compute_sysengage_acceptance_order_count"
    )
    sysengage_acceptance_state = fields.Selection(
        [("open", "Open"), ("partial", "Partially accepted"), ("done", "Fully processed")],
        string="Acceptance",
        compute="_compute_sysengage_acceptance_state",
        store=True,
        help="Open: nothing accepted or refused yet. Fully processed: every line was accepted or refused.",
    )
    # revisions
    sysengage_revision = fields.Integer("Revision", default=1, copy=False, readonly=True)
    sysengage_previous_offer_id = fields.Many2one(
        "sale.order", string="Previous revision", copy=False, readonly=True, index="btree_not_null"
    )
    sysengage_next_offer_ids = fields.One2many("sale.order", "sysengage_previous_offer_id", string="Next revisions")
    # lost offers and validity reminders
    sysengage_lost_reason_id = fields.Many2one(
        "sysengage.offer.lost.reason", string="Lost reason", copy=False, readonly=True
    )
    sysengage_lost_note = fields.Text("Lost note", copy=False, readonly=True)
    sysengage_reminder_date = fields.Date(
        "Validity reminder sent on", copy=False, readonly=True, help="Date the expiry reminder was scheduled."
    )
    sysengage_create_project = fields.Boolean(
        "Create a project on acceptance",
        compute="_compute_sysengage_create_project",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="On acceptance, the order creates a project with one task per accepted service line "
        "(and per good to install when the company asks for it). The default comes from the settings.",
    )
    # further partners of the offer in a role (installer, architect...), carried to orders and invoices
    sysengage_partner_role_ids = fields.One2many(
        "sysengage.offer.partner", "order_id", string="Partner roles", copy=True
    )
    # for the search view: the partners named in a role and the roles given (exact pairs: the "any"
    # operator on sysengage_partner_role_ids, or the "Partners in a role" list)
    sysengage_role_partner_ids = fields.Many2many(
        "res.partner",
        string="Partners in a role",
        compute="_compute_sysengage_role_partner_ids",
        search="_search_sysengage_role_partner_ids",
    )
    sysengage_role_ids = fields.Many2many(
        "sysengage.offer.partner.role",
        string="Roles",
        compute="_compute_sysengage_role_partner_ids",
        search="_search_sysengage_role_ids",
    )

    sysengage_offer_final_ok = fields.Boolean(
        "Valid as final",
        compute="_compute_sysengage_offer_final_ok",
        help="The order has the approvals it needs to be printed, sent or shown to the customer as final.",
    )

    # figures the shipped approval rules look at
    sysengage_max_discount = fields.Float(
        "Highest line discount (%)", compute="_compute_sysengage_margin", store=True, digits="Discount"
    )
    sysengage_cost = fields.Monetary("Cost", compute="_compute_sysengage_margin", store=True)
    sysengage_margin = fields.Monetary("Margin", compute="_compute_sysengage_margin", store=True)
    sysengage_margin_percent = fields.Float(
        "Margin (%)", compute="_compute_sysengage_margin", store=True, digits=(16, 2)
    )

    @api.depends("order_line.sysengage_cost", "order_line.discount", "order_line.price_subtotal", "amount_untaxed")
    def _compute_sysengage_margin(self):
        for order in self:
            lines = order.order_line.filtered(lambda line: not line.display_type and not line.is_downpayment)
            order.sysengage_max_discount = max(lines.mapped("discount") or [0.0])
            order.sysengage_cost = sum(lines.mapped("sysengage_cost"))
            order.sysengage_margin = order.amount_untaxed - order.sysengage_cost
            order.sysengage_margin_percent = (
                order.sysengage_margin / order.amount_untaxed * 100.0 if order.amount_untaxed else 0.0
            )

    @api.depends("sysengage_partner_role_ids.partner_id", "sysengage_partner_role_ids.role_id")
    def _compute_sysengage_role_partner_ids(self):
        for order in self:
            order.sysengage_role_partner_ids = order.sysengage_partner_role_ids.partner_id
            order.sysengage_role_ids = order.sysengage_partner_role_ids.role_id

    def _search_sysengage_role_partner_ids(self, operator, value):
        return [("sysengage_partner_role_ids.partner_id", operator, value)]

    def _search_sysengage_role_ids(self, operator, value):
        return [("sysengage_partner_role_ids.role_id", operator, value)]

    @api.depends("company_id")
    def _compute_sysengage_create_project(self):
        # the company's default; an offer keeps what the user or its template chose
        for order in self:
            if not order.sysengage_create_project:
                order.sysengage_create_project = order.company_id.sysengage_offer_project_default

    @api.depends_context("uid")
    @api.depends("state", "amount_untaxed", "amount_total", "order_line", "partner_id")
    def _compute_sysengage_offer_final_ok(self):
        for order in self:
            try:
                order._sysengage_offer_approval_check("print")
            except UserError:
                order.sysengage_offer_final_ok = False
            else:
                order.sysengage_offer_final_ok = True

    @api.depends("sysengage_acceptance_order_ids")
    def _compute_sysengage_acceptance_order_count(self):
        for order in self:
            order.sysengage_acceptance_order_count = len(order.sysengage_acceptance_order_ids)

    @api.depends(
        "order_line.sysengage_acceptance_state",
        "order_line.display_type",
    )
    def _compute_sysengage_acceptance_state(self):
        for order in self:
            lines = order.order_line.filtered(lambda line: not line.display_type)
            states = set(lines.mapped("sysengage_acceptance_state"))
            if not lines or states == {"open"}:
                order.sysengage_acceptance_state = "open"
            elif states <= {"accepted", "refused"}:
                order.sysengage_acceptance_state = "done"
            else:
                order.sysengage_acceptance_state = "partial"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super(SaleOrder, self.with_context(sysengage_skip_condition_sync=True)).create(vals_list)
        orders = orders.with_env(self.env)
        orders._sysengage_update_customer()
        orders._sysengage_sync_conditions()
        return orders

    def write(self, vals):
        sync = CONDITION_TRIGGER_FIELDS & set(vals) and not self.env.context.get("sysengage_skip_condition_sync")
        if sync:
            res = super(SaleOrder, self.with_context(sysengage_skip_condition_sync=True)).write(vals)
            self._sysengage_sync_conditions()
        else:
            res = super().write(vals)
        if "partner_id" in vals:
            self._sysengage_update_customer()
        return res

    # ------------------------------------------------------------------
    # Onchanges
    # ------------------------------------------------------------------
    @api.onchange("sale_order_template_id")
    def _onchange_sale_order_template_id(self):
        # Override of sale_management: the template also brings texts, conditions and the project flag
        res = super()._onchange_sale_order_template_id()
        if self.sale_order_template_id:
            self._sysengage_apply_template(self.sale_order_template_id)
        return res

    def _sysengage_apply_template(self, template):
        """Copy the texts (in the customer's language), conditions and project flag of ``template``."""
        self.ensure_one()
        template = template.with_context(lang=self.partner_id.lang or self.env.lang)
        if not is_html_empty(template.sysengage_intro_text):
            self.sysengage_intro_text = template.sysengage_intro_text
        if not is_html_empty(template.sysengage_closing_text):
            self.sysengage_closing_text = template.sysengage_closing_text
        self.sysengage_create_project = (
            template.sysengage_create_project or self.company_id.sysengage_offer_project_default
        )
        kept = self.sysengage_condition_line_ids.filtered(lambda line: line.origin != "template")
        commands = [Command.unlink(line.id) for line in self.sysengage_condition_line_ids - kept if line.id]
        present = kept.condition_id
        commands += [
            Command.create(
                {
                    "condition_id": condition.id,
                    "condition_type": condition.condition_type,
                    "name": condition.name,
                    "text": condition.text,
                    "sequence": condition.sequence,
                    "origin": "template",
                }
            )
            for condition in template.sysengage_condition_ids
            if condition not in present
        ]
        self.sysengage_condition_line_ids = commands

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        # guarded by the approval engine: the offers themselves, and for an order made by a partial
        # acceptance, the offer it comes from
        self._sysengage_offer_approval_check("confirm")
        # an offer accepted in part is closed through the acceptance wizard only
        partially = self.filtered("sysengage_acceptance_order_ids")
        if partially:
            raise UserError(
                self.env._(
                    "The offer %(names)s was already accepted in part: accept the remaining lines with "
                    "the partial acceptance wizard.",
                    names=", ".join(partially.mapped("name")),
                )
            )
        return super().action_confirm()

    def action_quotation_send(self):
        # guarded by the approval engine (the mail composer attaches the final PDF)
        self._sysengage_offer_approval_check("send")
        return super().action_quotation_send()

    def action_quotation_sent(self):
        self._sysengage_offer_approval_check("send")
        return super().action_quotation_sent()

    def message_post(self, **kwargs):
        # sending from the composer marks the quotation as sent: guarded like the send button
        if self.env.context.get("mark_so_as_sent"):
            self._sysengage_offer_approval_check("send")
        return super().message_post(**kwargs)

    def _action_confirm(self):
        res = super()._action_confirm()
        # the first confirmed order makes a prospect a customer (narrow sudo: lifecycle fields only)
        self.partner_id.commercial_partner_id.sudo()._sysengage_mark_customer()
        self.filtered("sysengage_create_project")._sysengage_create_project()
        return res

    def _create_invoices(self, grouped=False, final=False, date=None):
        # an order that still meets an offer rule is invoiced only once approved (every invoicing path:
        # the invoicing wizard, down payments and automatic invoicing go through here)
        self._sysengage_offer_approval_check("confirm")
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    def _prepare_invoice(self):
        # the invoice keeps the texts and conditions of its order
        values = super()._prepare_invoice()
        values.update(
            {
                "sysengage_intro_text": self.sysengage_intro_text,
                "sysengage_closing_text": self.sysengage_closing_text,
                "sysengage_condition_line_ids": [
                    Command.create(vals) for vals in self.sysengage_condition_line_ids._prepare_copy_vals()
                ],
                "sysengage_partner_role_ids": [
                    Command.create(vals) for vals in self.sysengage_partner_role_ids._sysengage_prepare_copy_vals()
                ],
            }
        )
        return values

    def action_sysengage_accept(self):
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("Only an offer (a quotation not yet confirmed) can be accepted."))
        self._sysengage_check_acceptance_allowed()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Accept offer"),
            "res_model": "sysengage.offer.acceptance.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_offer_id": self.id},
        }

    def action_sysengage_view_acceptance_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_orders")
        orders = self.sysengage_acceptance_order_ids
        if len(orders) == 1:
            action.update({"views": [(False, "form")], "res_id": orders.id})
        else:
            action.update({"domain": [("id", "in", orders.ids)], "context": {}})
        return action

    def action_sysengage_new_revision(self):
        """Copy the offer as its next revision and cancel this one; the new one links back to it."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("Only an offer that is not confirmed can be revised."))
        if self.sysengage_acceptance_order_ids:
            raise UserError(self.env._("An offer already accepted in part cannot be revised."))
        if self.sysengage_next_offer_ids:
            raise UserError(self.env._("This offer was already revised: revise its latest revision."))
        root_name = self._sysengage_root_offer().name
        revision = self.sysengage_revision + 1
        new_offer = self.copy(
            {
                "name": self.env._("%(name)s-R%(revision)s", name=root_name, revision=revision),
                "sysengage_revision": revision,
                "sysengage_previous_offer_id": self.id,
                "validity_date": self.validity_date,
            }
        )
        self._action_cancel()
        self.message_post(body=self.env._("Replaced by the revision %(offer)s.", offer=new_offer._get_html_link()))
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": new_offer.id,
            "views": [(False, "form")],
        }

    def action_sysengage_print_draft(self):
        """Print the offer marked as a draft: allowed before approval, unlike the final print."""
        return (
            self.env.ref("sale.action_report_saleorder")
            .with_context(sysengage_offer_draft_print=True)
            .report_action(self)
        )

    def action_sysengage_mark_lost(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark as lost"),
            "res_model": "sysengage.offer.lost.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def action_sysengage_save_as_template(self):
        """Create an offer template from this offer (lines, optional lines, texts, conditions, validity)."""
        self.ensure_one()
        template = self.env["sale.order.template"].create(self._sysengage_prepare_template_vals())
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order.template",
            "res_id": template.id,
            "views": [(False, "form")],
        }

    def action_sysengage_copy_lines(self):
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("Lines can only be copied into an offer that is not confirmed."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Copy lines"),
            "res_model": "sysengage.line.copy.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_target_order_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _has_to_be_signed(self):
        # Override: the customer signs (accepts) an offer online only once it is approved
        return super()._has_to_be_signed() and self._sysengage_offer_acceptable()

    def _has_to_be_paid(self):
        # Override: nor pays it (a payment confirms the order)
        return super()._has_to_be_paid() and self._sysengage_offer_acceptable()

    def _sysengage_offer_acceptable(self):
        self.ensure_one()
        try:
            self._sysengage_offer_approval_check("confirm")
        except UserError:
            return False
        return True

    def _sysengage_check_acceptance_allowed(self):
        """Raise when the offer may not be accepted yet (approval pending)."""
        self.ensure_one()
        self._sysengage_offer_approval_check("confirm")

    @api.model
    def _sysengage_approval_actions(self):
        # "offer" rules guard sending, final printing and confirming at once: one approval frees all three
        return {
            "offer": self.env._("Offer: send, print as final or confirm"),
            "confirm": self.env._("Confirm"),
            "send": self.env._("Send"),
            "print": self.env._("Print as final"),
        }

    @api.model
    def _sysengage_approval_state_actions(self):
        # a quotation reaches "sent" or "sale" only as sending or confirming would let it
        return {"sent": ("send",), "sale": ("confirm",)}

    def _sysengage_approval_check_state_action(self, action):
        return self._sysengage_offer_approval_check(action)

    def _sysengage_offer_approval_check(self, action):
        """Raise unless the orders of ``self`` are approved for ``action`` (and the "offer" rules).

        Quotations and confirmed orders alike: a confirmed order that still meets an offer rule is not
        printed as final, sent or invoiced without the approval. An order made by a partial acceptance
        follows the approval of its offer, as long as it only holds lines of that offer, at the offer's
        prices, within the offered quantities; otherwise it is checked on its own.
        """
        orders = self.filtered(lambda order: order.state != "cancel")
        derived = orders.filtered(lambda order: order.sysengage_offer_id and order._sysengage_is_offer_part())
        own = orders - derived
        if own:
            own._sysengage_approval_check("offer")
            own._sysengage_approval_check(action)
        if derived:
            derived.sysengage_offer_id._sysengage_offer_approval_check(action)
        return True

    def _sysengage_is_offer_part(self):
        """Whether the order holds only lines of its offer, at its prices, within the offered quantities."""
        self.ensure_one()
        offer = self.sysengage_offer_id
        lines = self.order_line.filtered(lambda line: not line.display_type and not line.is_downpayment)
        for line in lines:
            offer_line = line.sysengage_offer_line_id
            if (
                offer_line.order_id != offer
                or offer_line.product_id != line.product_id
                or offer_line.product_uom_id != line.product_uom_id
                or offer.currency_id.compare_amounts(offer_line.price_unit, line.price_unit)
                or float_compare(offer_line.discount, line.discount, precision_digits=2)
                or offer_line.product_uom_id.compare(
                    offer_line.sysengage_accepted_qty + offer_line.sysengage_refused_qty, offer_line.product_uom_qty
                )
                > 0
            ):
                return False
        return bool(lines) and self.partner_id.commercial_partner_id == offer.partner_id.commercial_partner_id

    def _sysengage_approval_snapshot(self):
        """Fingerprints of the active approvals, taken before a change made through the lines."""
        rules = self.env["sysengage.approval.rule"]._rules_for(self, trigger="action")
        return self._sysengage_approval_fingerprints(rules)

    def _sysengage_approval_invalidate(self):
        res = super()._sysengage_approval_invalidate()
        self.invalidate_recordset(["sysengage_offer_final_ok"])
        return res

    def _sysengage_approval_reset_changed(self, snapshot):
        """Reset the approvals whose watched values changed since ``snapshot``."""
        for (order, rule), (fingerprint, _requests) in snapshot.items():
            if order.exists() and rule._sysengage_fingerprint(order) != fingerprint:
                order._sysengage_approval_reset(rule)

    def _sysengage_root_offer(self):
        self.ensure_one()
        offer = self
        while offer.sysengage_previous_offer_id:
            offer = offer.sysengage_previous_offer_id
        return offer

    def _sysengage_prepare_template_vals(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        lines = []
        for line in self.order_line.filtered(lambda line: not line.is_downpayment):
            lines.append(
                Command.create(
                    {
                        "display_type": line.display_type,
                        "product_id": line.product_id.id,
                        "name": line.name,
                        "product_uom_qty": line.product_uom_qty,
                        "product_uom_id": line.product_uom_id.id,
                        "is_optional": line.is_optional,
                        "sequence": line.sequence,
                    }
                )
            )
        return {
            "name": self.env._("Template from %(offer)s", offer=self.name),
            "company_id": self.company_id.id,
            "number_of_days": max((self.validity_date - today).days, 0) if self.validity_date else 0,
            "note": self.note,
            "sysengage_intro_text": self.sysengage_intro_text,
            "sysengage_closing_text": self.sysengage_closing_text,
            "sysengage_condition_ids": [Command.set(self.sysengage_condition_line_ids.condition_id.ids)],
            "sysengage_create_project": self.sysengage_create_project,
            "sale_order_template_line_ids": lines,
        }

    def _sysengage_update_customer(self):
        """Store the date of the customer's last offer (feeds the inactivity rule).

        A new offer wakes an inactive customer up; a prospect becomes a customer only when an
        order is confirmed (see ``_action_confirm``), never at a draft quotation.
        """
        for order in self:
            # narrow sudo: a sales rep records the lifecycle of his customer even without the right
            # to edit partners; only the lifecycle bookkeeping fields are written
            partner = order.partner_id.commercial_partner_id.sudo()
            offer_date = fields.Date.context_today(order, order.date_order)
            if not partner.sysengage_last_offer_date or partner.sysengage_last_offer_date < offer_date:
                partner.sysengage_last_offer_date = offer_date
            if partner.sysengage_lifecycle_state == "inactive":
                partner._sysengage_mark_customer()

    def _sysengage_get_offer_facts(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        products = self.order_line.product_id
        # parent_path holds "1/5/7/": the category and all its parents, without a search per offer
        category_ids = {
            int(part) for path in products.categ_id.mapped("parent_path") for part in path.split("/") if part
        }
        return OfferFacts(
            partner_id=partner.id,
            amount=self.amount_untaxed,
            date=fields.Date.context_today(self, self.date_order or None),
            company_id=self.company_id.id,
            lang=self.partner_id.lang or None,
            grouping_code_ids=frozenset(partner.sysengage_grouping_code_ids.ids),
            product_ids=frozenset(products.ids),
            category_ids=frozenset(category_ids),
        )

    def _sysengage_get_condition_candidates(self):
        return self.env["sysengage.offer.condition"].search(
            [("automatic", "=", True), ("company_id", "in", [*self.company_id.ids, False])]
        )

    def _sysengage_sync_conditions(self):
        """Add the conditions whose rules match the offer; remove automatic ones that no longer match.

        Only offers (draft or sent quotations) are updated, never the orders made by a partial acceptance.
        Conditions added by hand or by a template, edited ones and the ones dropped by the user are kept
        as they are.
        """
        offers = self.filtered(lambda o: o.state in ("draft", "sent") and not o.sysengage_offer_id)
        if not offers:
            return
        candidates = offers._sysengage_get_condition_candidates()
        line_model = self.env["sysengage.offer.condition.line"].with_context(sysengage_condition_sync=True)
        to_create, to_unlink = [], line_model
        for offer in offers:
            rules = [
                condition._to_rule(offer.currency_id)
                for condition in candidates
                if not condition.company_id or condition.company_id == offer.company_id
            ]
            selected = candidates.browse(select_conditions(rules, offer._sysengage_get_offer_facts()))
            lines = offer.sysengage_condition_line_ids
            stale = lines.filtered(
                lambda line, selected=selected: (
                    line.origin == "auto" and not line.is_edited and line.condition_id not in selected
                )
            )
            to_unlink |= stale
            missing = selected - (lines - stale).condition_id - offer.sysengage_dropped_condition_ids
            lang = offer.partner_id.lang or self.env.lang
            to_create += [
                {
                    "order_id": offer.id,
                    "condition_id": condition.id,
                    "condition_type": condition.condition_type,
                    "name": condition.name,
                    "text": condition.text,
                    "sequence": condition.sequence,
                    "origin": "auto",
                }
                for condition in missing.with_context(lang=lang)
            ]
        to_unlink.unlink()
        line_model.create(to_create)

    def _sysengage_project_lines(self):
        """The lines of the order that make a task: services, and goods to install if the company says so."""
        self.ensure_one()
        with_goods = self.company_id.sysengage_offer_project_goods
        return self.order_line.filtered(
            lambda line: (
                not line.display_type
                and not line.is_downpayment
                and line.product_uom_qty > 0
                and (
                    line.is_service
                    or (with_goods and line.product_id.type == "consu" and line.product_id.sysengage_install_task)
                )
            )
        )

    def _sysengage_create_project(self):
        """One project per offer, with a task per accepted service line (and good to install).

        An order made by a partial acceptance adds its tasks to the project of its offer, so that every
        acceptance of one offer lands in the same project; the offer and its orders point to it, and the
        project points back to the offer.
        """
        for order in self:
            lines = order._sysengage_project_lines()
            if not lines:
                continue
            offer = order.sysengage_offer_id or order
            # narrow sudo, as sale_project does: salesmen create projects and tasks without project rights
            lines = lines.sudo().with_company(order.company_id)
            project = (
                order.sudo().project_id
                or offer.sudo().project_id
                or offer.sudo().sysengage_acceptance_order_ids.project_id[:1]
                or lines.filtered("is_service").project_id[:1]
            )
            if not project:
                project = order._sysengage_new_project(lines)
            for record in (order | offer).sudo().filtered(lambda rec, project=project: rec.project_id != project):
                record.project_id = project
            if not project.sysengage_offer_id:
                project.sysengage_offer_id = offer
            for line in lines.filtered(lambda line: not line.task_id):
                if line.is_service:
                    line._timesheet_create_task(project)
                else:
                    line._sysengage_create_install_task(project)

    def _sysengage_new_project(self, lines):
        """A project for the order, made like sale_project makes it (from a service line when there is one)."""
        self.ensure_one()
        services = lines.filtered("is_service")
        if services:
            return services[0]._timesheet_create_project()
        values = lines[0]._timesheet_create_project_prepare_values()
        # a project can only be billed through a service line
        values.pop("sale_line_id")
        values["reinvoiced_sale_order_id"] = self.id
        return self.env["project.project"].sudo().create(values)

    @api.model
    def _cron_sysengage_validity_reminder(self):
        """Schedule an activity to the sales rep of the offers whose validity ends in N days."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search([("sysengage_offer_reminder_days", ">", 0)])
        if not companies:
            return
        horizon = today + timedelta(days=max(companies.mapped("sysengage_offer_reminder_days")))
        offers = self.search(
            [
                ("company_id", "in", companies.ids),
                ("state", "in", ("draft", "sent")),
                ("validity_date", ">=", today),
                ("validity_date", "<=", horizon),
                ("sysengage_reminder_date", "=", False),
                ("user_id", "!=", False),
            ]
        ).filtered(
            lambda offer: offer.validity_date <= today + timedelta(days=offer.company_id.sysengage_offer_reminder_days)
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for offer in offers:
            offer.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=offer.validity_date,
                summary=self.env._("Offer expires on %(date)s", date=offer.validity_date),
                note=self.env._("Follow up the offer %(offer)s before it expires.", offer=offer.name),
                user_id=offer.user_id.id,
            )
        offers.write({"sysengage_reminder_date": today})

    # ------------------------------------------------------------------
    # Demo data (called from demo/sysengage_offers_demo.xml only)
    # ------------------------------------------------------------------
    @api.model
    def _sysengage_demo_offer_steps(self, waiting_id, approved_id, partial_id, sent_ids):
        """Demo: ask the approval of one offer, have the administrator approve another, accept a third
        in part (four of six switches and the consulting; two switches refused) and send the others."""
        admin = self.env.ref("base.user_admin")
        waiting, approved, partial = self.browse(waiting_id), self.browse(approved_id), self.browse(partial_id)
        (waiting | approved).action_sysengage_request_approval()
        Request = self.env["sysengage.approval.request"]
        requests = Request._get_for_documents(approved, [("state", "=", "pending")])
        requests.with_user(admin).action_approve()
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": partial.id})
        for wiz_line in wizard.line_ids:
            product = wiz_line.offer_line_id.product_id
            if product == self.env.ref("sysengage_base.product_switch_demo"):
                wiz_line.write({"accept": True, "quantity": 4, "refuse": True, "refusal_reason": "Budget 2027"})
            elif product.type == "service":
                wiz_line.write({"accept": True, "quantity": wiz_line.remaining_qty})
        wizard.action_accept()
        self.browse(sent_ids).action_quotation_sent()
        return True
