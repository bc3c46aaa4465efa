from odoo import Command, api, fields, models


def keeps_history(records):
    """Whether ``records`` keep an event history: their model inherits ``sysengage.event.mixin``."""
    return isinstance(records, records.env.registry["sysengage.event.mixin"])


class SysengageEventBuffer(list):
    """Events collected during a bulk operation, created at once by ``_sysengage_flush_events``.

    Passed as the ``sysengage_event_buffer`` context key by server code only (an RPC context cannot
    hold this type, so no client can divert events into a buffer that is never written).
    Buffers compare by identity: environments are reused for equal contexts, and two empty buffers
    must not be taken for the same one.
    """

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other


class SysengageEventMixin(models.AbstractModel):
    """Log creations, changes, prints and e-mail sends of a model in the event history.

    A model opts in with ``_inherit = ["res.partner", "sysengage.event.mixin"]``. Changes are logged
    for the tracked fields (``tracking=True``), the fields listed in ``_sysengage_event_fields`` and
    ``active`` (archiving). The mixin extends ``mail.thread`` so that its ``message_post`` override runs
    before the core one on every model using it.
    """

    _name = "sysengage.event.mixin"
    _inherit = ["mail.thread"]
    _description = "Sysengage Event History Mixin"

    # extra field names whose changes are logged besides the tracked ones
    _sysengage_event_fields = ()

    sysengage_event_count = fields.Integer(string="Events", compute="_compute_sysengage_event_count")

    def _compute_sysengage_event_count(self):
        counts = {}
        if self.ids and self.env["sysengage.event"].has_access("read"):
            groups = self.env["sysengage.event"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
            )
            counts = dict(groups)
        for record in self:
            record.sysengage_event_count = counts.get(record.id, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._sysengage_log_events([(record, "create", self.env._("Created"), []) for record in records])
        return records

    def write(self, vals):
        fnames = [fname for fname in self._sysengage_event_get_fields() if fname in vals]
        if not fnames or not self:
            return super().write(vals)
        before = self._sysengage_event_snapshot(fnames)
        result = super().write(vals)
        after = self._sysengage_event_snapshot(fnames)
        entries = []
        for record in self:
            old, new = before.get(record.id, {}), after.get(record.id, {})
            changes = [(fname, old.get(fname), new.get(fname)) for fname in fnames if old.get(fname) != new.get(fname)]
            if not changes:
                continue
            if "active" in fnames and old.get("active") != new.get("active"):
                archived = not vals["active"]
                event_type = "archive" if archived else "write"
                description = self.env._("Archived") if archived else self.env._("Restored from the archive")
            else:
                event_type, description = "write", self.env._("Changed")
            entries.append((record, event_type, description, changes))
        self._sysengage_log_events(entries)
        return result

    def export_data(self, fields_to_export):
        # Override of base: an export (list view "Export", Excel) is logged on each exported record
        result = super().export_data(fields_to_export)
        if self:
            self._sysengage_log_event(
                "export",
                self.env._("Exported (%(count)s fields)", count=len(fields_to_export)),
            )
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_sysengage_open_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_base.sysengage_event_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"create": False}
        action["name"] = self.env._("Events of %(record)s", record=self.display_name)
        return action

    # ------------------------------------------------------------------
    # mail.thread hook
    # ------------------------------------------------------------------
    def message_post(self, **kwargs):
        # Override of mail.thread: an e-mail or comment sent to partners with documents is a "send" event
        message = super().message_post(**kwargs)
        message_sudo = message.sudo()
        # only what the current user sends: incoming e-mails (mail gateway) are not sends
        if (
            message_sudo.author_id == self.env.user.partner_id
            and message_sudo.message_type in ("email", "comment")
            and message_sudo.partner_ids
            and message_sudo.attachment_ids
            and not message_sudo.subtype_id.internal
        ):
            description = self.env._(
                "Sent by e-mail to %(recipients)s: %(subject)s (%(attachments)s)",
                recipients=", ".join(message_sudo.partner_ids.mapped("display_name")),
                subject=message_sudo.subject or message_sudo.record_name or "",
                attachments=", ".join(message_sudo.attachment_ids.mapped("name")),
            )
            self._sysengage_log_event("send", description)
        return message

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _sysengage_event_get_fields(self):
        """Names of the fields whose changes are logged."""
        names = set(self._track_get_fields()) | set(self._sysengage_event_fields)
        if "active" in self._fields:
            names.add("active")
        return [name for name in names if name in self._fields and self._fields[name].store]

    def _sysengage_event_snapshot(self, fnames):
        """``{id: {field: display value}}`` read in one batch per field (prefetched over ``self``)."""
        snapshot = {record.id: {} for record in self}
        for fname in fnames:
            field = self._fields[fname]
            for record in self:
                snapshot[record.id][fname] = self._sysengage_event_format(field, record[fname])
        return snapshot

    def _sysengage_event_format(self, field, value):
        """A readable text of a field value, stored in the change lines."""
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name")) if value else ""
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value or "") if value else ""
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if field.type == "datetime" and value:
            return fields.Datetime.to_string(fields.Datetime.context_timestamp(self, value))
        if value is False or value is None:
            return ""
        return str(value)

    def _sysengage_log_event(self, event_type, description, changes=None):
        """Log one event per record of ``self``; ``changes`` is ``{field: (old, new)}`` of raw values."""
        change_list = []
        for fname, (old, new) in (changes or {}).items():
            field = self._fields.get(fname)
            if field:
                old, new = self._sysengage_event_format(field, old), self._sysengage_event_format(field, new)
            change_list.append((fname, old, new))
        return self._sysengage_log_events([(record, event_type, description, change_list) for record in self])

    @api.model
    def _sysengage_log_events(self, entries):
        """Create the events of ``entries`` — ``(record, type, description, [(field, old, new)])`` — at once."""
        if not entries:
            return self.env["sysengage.event"]
        user = self.env.user
        vals_list = []
        for record, event_type, description, changes in entries:
            # a record shared between companies (no company) keeps a shared history
            company = record["company_id"][:1] if "company_id" in record._fields else self.env.company
            vals_list.append(
                {
                    "event_type": event_type,
                    "description": description,
                    "res_model": record._name,
                    "res_id": record.id,
                    "res_name": record.display_name,
                    "company_id": company.id,
                    "user_id": user.id,
                    "change_ids": [
                        Command.create(
                            {
                                "field_name": fname,
                                "field_description": record._fields[fname]._description_string(self.env)
                                if fname in record._fields
                                else fname,
                                "old_value": old,
                                "new_value": new,
                            }
                        )
                        for fname, old, new in changes
                    ],
                }
            )
        buffer = self.env.context.get("sysengage_event_buffer")
        if isinstance(buffer, SysengageEventBuffer):
            buffer.extend(vals_list)
            return self.env["sysengage.event"]
        return self._sysengage_create_events(vals_list)

    @api.model
    def _sysengage_flush_events(self, buffer):
        """Create the events collected in ``buffer`` (see SysengageEventBuffer) in one batch."""
        events = self._sysengage_create_events(list(buffer))
        buffer.clear()
        return events

    @api.model
    def _sysengage_create_events(self, vals_list):
        if not vals_list:
            return self.env["sysengage.event"]
        # Narrow superuser step: users have no create right on the history (so that nobody can forge an
        # event through RPC); the values are computed by the helpers above from the current user and records.
        return self.env["sysengage.event"].sudo().with_context(sysengage_event_buffer=None).create(vals_list)
