from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

WEEKDAY_FIELDS = ("day_mon", "day_tue", "day_wed", "day_thu", "day_fri", "day_sat", "day_sun")


class SysengageDispatchFlow(models.Model):
    """Send parameters of one outgoing flow: the kind of document (invoices, reminders, or a type a
    bridge addon adds such as offers), the days and hour at which they leave, the sender shown to the
    customer and the channel."""

    _name = "sysengage.dispatch.flow"
    _description = "Dispatch flow"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    document_type = fields.Selection(
        [("invoice", "Customer invoices"), ("reminder", "Payment reminders")],
        string="Documents",
        default="invoice",
        required=True,
        index=True,
    )
    channel_id = fields.Many2one("sysengage.einvoice.channel", required=True, check_company=True)
    channel_type = fields.Selection(related="channel_id.channel_type")
    day_mon = fields.Boolean(string="Monday", default=True)
    day_tue = fields.Boolean(string="Tuesday", default=True)
    day_wed = fields.Boolean(string="Wednesday", default=True)
    day_thu = fields.Boolean(string="Thursday", default=True)
    day_fri = fields.Boolean(string="Friday", default=True)
    day_sat = fields.Boolean(string="Saturday")
    day_sun = fields.Boolean(string="Sunday")
    hour = fields.Float(string="Send at", default=8.0, help="Local time (company time zone) of the send.")
    sender_name = fields.Char()
    sender_email = fields.Char(string="Sender address")
    document_ids = fields.One2many("sysengage.einvoice.document", "flow_id")
    pending_count = fields.Integer(compute="_compute_counts")
    failed_count = fields.Integer(compute="_compute_counts")
    sent_count = fields.Integer(compute="_compute_counts")
    next_slot = fields.Datetime(compute="_compute_next_slot")

    _hour_range = models.Constraint("CHECK(hour >= 0 AND hour < 24)", "The send hour lies between 0:00 and 23:59.")

    @api.constrains("document_type", "channel_id")
    def _check_channel_type(self):
        for flow in self:
            allowed = flow._allowed_channel_types()
            if allowed is not None and flow.channel_id.channel_type not in allowed:
                raise ValidationError(
                    self.env._(
                        "Channel of flow %(flow)s: %(type)s are sent by e-mail or on paper only.",
                        flow=flow.display_name,
                        type=dict(self._fields["document_type"]._description_selection(self.env))[flow.document_type],
                    )
                )

    def _compute_counts(self):
        groups = self.env["sysengage.einvoice.document"]._read_group(
            [("flow_id", "in", self.ids)], ["flow_id", "state"], ["__count"]
        )
        counts = {(flow.id, state): count for flow, state, count in groups}
        failed = dict(
            self.env["sysengage.einvoice.document"]._read_group(
                [("flow_id", "in", self.ids), ("state", "=", "to_send"), ("state_message", "!=", False)],
                ["flow_id"],
                ["__count"],
            )
        )
        for flow in self:
            flow.pending_count = counts.get((flow.id, "to_send"), 0)
            flow.sent_count = counts.get((flow.id, "sent"), 0) + counts.get((flow.id, "acknowledged"), 0)
            flow.failed_count = failed.get(flow, 0) + counts.get((flow.id, "rejected"), 0)

    def _compute_next_slot(self):
        for flow in self:
            flow.next_slot = flow._next_slot()

    def _allowed_channel_types(self):
        """Channel types that can carry this flow's documents (None: any). Invoices go through every
        channel; reminders and other letters are PDFs, sent by e-mail or printed."""
        self.ensure_one()
        return None if self.document_type == "invoice" else ("email", "paper")

    @api.model
    def _get_for_channel(self, channel):
        return self.search(
            [
                ("channel_id", "=", channel.id),
                ("company_id", "=", channel.company_id.id),
                ("document_type", "=", "invoice"),
            ],
            limit=1,
        )

    @api.model
    def _get_for_type(self, document_type, company, channel_type=None):
        """The flow sending ``document_type`` for ``company``, preferring ``channel_type`` when given."""
        flows = self.search([("document_type", "=", document_type), ("company_id", "=", company.id)])
        preferred = flows.filtered(lambda flow: flow.channel_id.channel_type == channel_type)
        return (preferred or flows)[:1]

    def _next_slot(self, start=None):
        """The first allowed day/hour at or after ``start`` (naive UTC), in the company time zone."""
        self.ensure_one()
        start = start or fields.Datetime.now()
        tz = pytz.timezone(self.env.user.tz or self.company_id.partner_id.tz or "Europe/Zurich")
        local_start = pytz.utc.localize(start).astimezone(tz)
        days = [self[name] for name in WEEKDAY_FIELDS]
        if not any(days):
            return start
        hours = int(self.hour)
        minutes = round((self.hour - hours) * 60)
        for offset in range(8):
            day = local_start.date() + timedelta(days=offset)
            if not days[day.weekday()]:
                continue
            candidate = tz.localize(datetime.combine(day, time(hours, min(minutes, 59))))
            if candidate >= local_start:
                return candidate.astimezone(pytz.utc).replace(tzinfo=None)
        return start

    def action_open_pending(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_einvoice.sysengage_einvoice_document_action")
        action["domain"] = [("flow_id", "=", self.id)]
        action["context"] = {"search_default_filter_to_send": 1, "default_flow_id": self.id}
        action["name"] = self.display_name
        return action

    def action_open_history(self):
        action = self.action_open_pending()
        action["context"] = {"search_default_filter_done": 1}
        return action
