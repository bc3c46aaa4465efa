from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL


class SysengageGedLinkedMixin(models.AbstractModel):
    """Records attached to any business record through ``res_model``/``res_id``.

    Access follows the linked record, as for ``ir.attachment``: a user reads the row only when
    he may read the linked record, and changes it only when he may write that record. Rows
    without a linked record follow the model's own access rights and record rules.
    """

    _name = "sysengage.ged.linked.mixin"
    _description = "Sysengage GED: record linked to a business record"

    res_model = fields.Char(string="Linked Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Linked Record ID", model_field="res_model", index=True, readonly=True)
    res_name = fields.Char(string="Linked Record", compute="_compute_res_name")

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        for record in self:
            name = False
            # a stored model name: its addon may have been uninstalled since
            if record.res_model in self.env and record.res_id:
                linked = self.env[record.res_model].browse(record.res_id)
                # display name of a record the user may read (checked by _check_access)
                name = linked.exists() and linked.sudo().display_name
            record.res_name = name

    # ------------------------------------------------------------------
    # Access: follow the linked record
    # ------------------------------------------------------------------
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, active_test=True, bypass_access=False):
        # Override: restrict to rows whose linked record the user may read
        if not (self.env.su or bypass_access):
            domain = Domain(domain) & self._sysengage_ged_access_domain()
        return super()._search(domain, offset, limit, order, active_test=active_test, bypass_access=bypass_access)

    @api.model
    def _sysengage_ged_access_domain(self):
        """Domain of the rows whose linked record is readable by the current user."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT res_model FROM %s WHERE res_model IS NOT NULL",
                SQL.identifier(self._table),
            )
        )
        domain = Domain("res_model", "=", False)
        for (model_name,) in self.env.cr.fetchall():
            comodel = self.env.get(model_name)
            if comodel is None or not comodel.browse().has_access("read"):
                continue
            query = comodel.with_context(active_test=False)._search(Domain.TRUE)
            if query.is_empty():
                continue
            condition = Domain("res_model", "=", model_name)
            if query.where_clause:
                condition &= Domain("res_id", "in", query)
            domain |= condition
        return domain

    def _check_access(self, operation):
        # Override: on top of ACL and rules, the linked record must be accessible
        result = super()._check_access(operation)
        if not self or (result and result[0] == self):
            return result
        forbidden = result[0] if result else self.browse()
        linked_operation = "read" if operation == "read" else "write"
        links = defaultdict(list)  # {model: [(row id, res_id)]}
        # sudo: read only the two link columns to know which record to check
        for row in (self - forbidden).sudo():
            if row.res_model:
                links[row.res_model].append((row.id, row.res_id))
        denied = set()
        for model_name, pairs in links.items():
            comodel = self.env.get(model_name)
            if comodel is None:
                denied.update(row_id for row_id, _res_id in pairs)
                continue
            linked = comodel.with_context(active_test=False).browse({res_id for _row, res_id in pairs}).exists()
            allowed = set(linked._filtered_access(linked_operation).ids)
            denied.update(row_id for row_id, res_id in pairs if res_id not in allowed)
        if not denied:
            return result
        forbidden |= self.browse(sorted(denied))

        def make_error():
            return AccessError(
                self.env._(
                    "You may not access these documents because you may not access the record they "
                    "belong to.\n(Operation: %(operation)s, records: %(records)s, user: %(user)s)",
                    operation=operation,
                    records=forbidden[:6].ids,
                    user=self.env.uid,
                )
            )

        return forbidden, make_error

    def _sysengage_ged_linked_record(self):
        """The linked business record (empty recordset when none or unknown model)."""
        self.ensure_one()
        # a stored model name: its addon may have been uninstalled since
        if not self.res_model or self.res_model not in self.env or not self.res_id:
            return None
        return self.env[self.res_model].browse(self.res_id)
