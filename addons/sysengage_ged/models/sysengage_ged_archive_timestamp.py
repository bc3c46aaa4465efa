from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Only code of this module holds this object: a client cannot put it in a context over RPC
_TIMESTAMP_TOKEN = object()


class SysengageGedArchiveTimestamp(models.Model):
    """An RFC 3161 token over a chain head hash: one authority call per archive batch.

    The token dates the chain hash of the entry at ``sequence``; since each chain hash binds the
    previous one, it proves that this entry and every entry chained before it existed no later than
    the token's time. An archive is verified against the first timestamp at or after its position
    (its ``timestamp_id``) through the chain links between them.
    """

    _name = "sysengage.ged.archive.timestamp"
    _description = "Invoice Archive Batch Timestamp"
    _order = "company_id, sequence desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="restrict")
    sequence = fields.Integer(string="Head Position", required=True, readonly=True)
    chain_hash = fields.Char(string="Head Chain Hash", required=True, readonly=True)
    token = fields.Binary(string="RFC 3161 Token", attachment=False, readonly=True)
    timestamp_date = fields.Datetime(string="Timestamped On", readonly=True)
    tsa_url = fields.Char(string="Time-Stamping Authority", readonly=True)
    archive_ids = fields.One2many("sysengage.ged.archive", "timestamp_id", string="Archives Covered", readonly=True)
    archive_count = fields.Integer(string="Archive Count", compute="_compute_archive_count")

    _company_sequence_unique = models.Constraint("UNIQUE(company_id, sequence)", "A chain head is timestamped once.")

    def _compute_archive_count(self):
        # sudo: the number of archives a timestamp covers, whoever may read them
        groups = (
            self.env["sysengage.ged.archive"]
            .sudo()
            ._read_group([("timestamp_id", "in", self.ids)], ["timestamp_id"], ["__count"])
        )
        counts = dict(groups)
        for stamp in self:
            stamp.archive_count = counts.get(stamp.sudo(), 0)

    def init(self):
        # Database guard: a timestamp row is never changed nor deleted, even by SQL outside the ORM
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION sysengage_ged_archive_timestamp_guard() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION 'sysengage.ged.archive.timestamp %% cannot be changed or deleted', OLD.id;
                END;
                $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS sysengage_ged_archive_timestamp_guard ON sysengage_ged_archive_timestamp;
                CREATE TRIGGER sysengage_ged_archive_timestamp_guard
                    BEFORE UPDATE OR DELETE ON sysengage_ged_archive_timestamp
                    FOR EACH ROW EXECUTE FUNCTION sysengage_ged_archive_timestamp_guard();
                CREATE OR REPLACE FUNCTION sysengage_ged_archive_timestamp_no_truncate() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '%% cannot be truncated: archive timestamps are kept', TG_TABLE_NAME;
                END;
                $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS sysengage_ged_archive_timestamp_no_truncate ON sysengage_ged_archive_timestamp;
                CREATE TRIGGER sysengage_ged_archive_timestamp_no_truncate
                    BEFORE TRUNCATE ON sysengage_ged_archive_timestamp
                    FOR EACH STATEMENT EXECUTE FUNCTION sysengage_ged_archive_timestamp_no_truncate();
                """
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("sysengage_ged_timestamp_token") is not _TIMESTAMP_TOKEN:
            raise UserError(self.env._("Archive timestamps are recorded by the archive job only."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("Archive timestamps cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Archive timestamps cannot be deleted."))

    @api.model
    def _ged_record(self, vals):
        # sudo: no group may write timestamps; only the archive job records them
        return self.sudo().with_context(sysengage_ged_timestamp_token=_TIMESTAMP_TOKEN).create(vals)

    def action_archives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_ged.sysengage_ged_archive_action")
        action.update(domain=[("timestamp_id", "=", self.id)], context={})
        return action
