from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.sysengage_ged.tools import chain

# advisory lock namespace for the per-company hash chain (one archiving transaction at a time)
_CHAIN_LOCK = 0x5E6D
# Only code of this module holds this object: a client cannot put it in a context over RPC
_HEAD_TOKEN = object()


class SysengageGedArchiveHead(models.Model):
    """The head of a company's archive chain: the last position and chain hash of each archiving.

    Rows are only ever inserted (one per archiving transaction), never changed nor deleted: the
    newest row of a company anchors its chain, so deleting the newest archives is detected by the
    verification even though the archive rows themselves are gone.

    Taking the next positions: a transaction-level advisory lock per company makes archivers wait
    for each other (never fail), then the head is read twice, in this transaction (its own archives)
    and in a fresh one (archives committed by others after this transaction began, which its
    repeatable-read snapshot cannot see), and the newest wins. Only inserts follow, so two users and
    the contracts cron posting at once neither collide on a position nor hit serialization failures;
    the unique index on (company, position) stays the last line of defence.
    """

    _name = "sysengage.ged.archive.head"
    _description = "Invoice Archive Chain Head"
    _order = "company_id, sequence desc"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="restrict")
    sequence = fields.Integer(string="Last Position", required=True, readonly=True)
    chain_hash = fields.Char(string="Last Chain Hash", required=True, readonly=True)

    _company_sequence_unique = models.Constraint(
        "UNIQUE(company_id, sequence)", "Two archivings cannot end at the same place of the company chain."
    )

    def init(self):
        # Database guards: head rows are never changed nor deleted; neither table can be truncated.
        # Chains archived before this table existed get their head from their newest archive.
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION sysengage_ged_archive_head_guard() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION 'sysengage.ged.archive.head %% cannot be changed or deleted', OLD.id;
                END;
                $$ LANGUAGE plpgsql;
                CREATE OR REPLACE FUNCTION sysengage_ged_archive_no_truncate() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '%% cannot be truncated: invoice archives are kept for their retention period',
                        TG_TABLE_NAME;
                END;
                $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS sysengage_ged_archive_head_guard ON sysengage_ged_archive_head;
                CREATE TRIGGER sysengage_ged_archive_head_guard BEFORE UPDATE OR DELETE ON sysengage_ged_archive_head
                    FOR EACH ROW EXECUTE FUNCTION sysengage_ged_archive_head_guard();
                DROP TRIGGER IF EXISTS sysengage_ged_archive_head_no_truncate ON sysengage_ged_archive_head;
                CREATE TRIGGER sysengage_ged_archive_head_no_truncate BEFORE TRUNCATE ON sysengage_ged_archive_head
                    FOR EACH STATEMENT EXECUTE FUNCTION sysengage_ged_archive_no_truncate();
                DROP TRIGGER IF EXISTS sysengage_ged_archive_no_truncate ON sysengage_ged_archive;
                CREATE TRIGGER sysengage_ged_archive_no_truncate BEFORE TRUNCATE ON sysengage_ged_archive
                    FOR EACH STATEMENT EXECUTE FUNCTION sysengage_ged_archive_no_truncate();
                INSERT INTO sysengage_ged_archive_head (company_id, sequence, chain_hash, create_date, write_date)
                     SELECT DISTINCT ON (company_id) company_id, sequence, chain_hash,
                            NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                       FROM sysengage_ged_archive
                      WHERE sequence IS NOT NULL
                   ORDER BY company_id, sequence DESC
                ON CONFLICT (company_id, sequence) DO NOTHING;
                """
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("sysengage_ged_head_token") is not _HEAD_TOKEN:
            raise UserError(self.env._("The head of an archive chain is recorded by archiving only."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The head of an archive chain is recorded by archiving only."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The head of an archive chain cannot be deleted."))

    @api.model
    def _ged_current(self, company):
        """The newest head row of ``company`` visible to this transaction (empty when none)."""
        return self.sudo().search([("company_id", "=", company.id)], order="sequence desc", limit=1)

    @api.model
    def _ged_lock(self, company):
        """Take the chain of ``company`` for this transaction; return its ``(sequence, chain_hash)``."""
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", _CHAIN_LOCK, company.id))
        query = SQL(
            "SELECT sequence, chain_hash FROM sysengage_ged_archive_head"
            " WHERE company_id = %s ORDER BY sequence DESC LIMIT 1",
            company.id,
        )
        self.flush_model()
        self.env.cr.execute(query)
        heads = self.env.cr.fetchall()
        # a fresh snapshot: the heads committed by other archivers since this transaction began (they
        # released the lock by committing); reading only, nothing is written on this cursor
        with self.env.registry.cursor() as fresh:
            fresh.execute(query)
            heads += fresh.fetchall()
        sequence, chain_hash = max(heads, default=(0, chain.GENESIS_HASH))
        return sequence, chain_hash

    @api.model
    def _ged_advance(self, company, sequence, chain_hash):
        """Record the new head of ``company`` (the chain lock is held by this transaction)."""
        # sudo: no group may write heads; only archiving records them
        return (
            self.sudo()
            .with_context(sysengage_ged_head_token=_HEAD_TOKEN)
            .create({"company_id": company.id, "sequence": sequence, "chain_hash": chain_hash})
        )
