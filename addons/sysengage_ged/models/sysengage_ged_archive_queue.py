from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Only code of this module holds this object: a client cannot put it in a context over RPC
_QUEUE_TOKEN = object()


class SysengageGedArchiveQueue(models.Model):
    """A posted invoice waiting for its archive.

    Posting inserts one row in its own transaction (no rendering, no chain lock, no network); the
    archive job takes rows with ``FOR UPDATE SKIP LOCKED``, archives their invoices and deletes the
    rows in the transaction that creates the archives: a row is consumed exactly once, by whoever
    holds its lock (the job, a print or send reusing its rendering, a reset to draft archiving the
    posted state first). A crash before the commit leaves the row for the next run.
    """

    _name = "sysengage.ged.archive.queue"
    _description = "Invoice Waiting for its Archive"
    _order = "id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, readonly=True, index=True, ondelete="cascade"
    )
    trigger = fields.Selection(
        [("post", "Posting"), ("print", "Print"), ("send", "Sending")], required=True, readonly=True, default="post"
    )
    error = fields.Char(string="Last Error", readonly=True)
    attempts = fields.Integer(readonly=True)

    _move_unique = models.Constraint("UNIQUE(move_id)", "An invoice waits for its archive once.")

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("sysengage_ged_queue_token") is not _QUEUE_TOKEN:
            raise UserError(self.env._("Invoices wait for their archive by being posted only."))
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("sysengage_ged_queue_token") is not _QUEUE_TOKEN:
            raise UserError(self.env._("The archive queue is kept by the archive job only."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_by_archiving_only(self):
        if self.env.context.get("sysengage_ged_queue_token") is not _QUEUE_TOKEN:
            raise UserError(self.env._("The archive queue is kept by the archive job only."))

    @api.model
    def _ged_enqueue(self, moves, trigger="post"):
        """Record that ``moves`` must be archived (those not waiting yet)."""
        if not moves:
            return self.browse()
        # sudo: the queue is written by the system for whoever posts; nobody writes it directly
        queue = self.sudo().with_context(sysengage_ged_queue_token=_QUEUE_TOKEN)
        waiting = set(queue.search([("move_id", "in", moves.ids)]).move_id.ids)
        return queue.create(
            [
                {"company_id": move.company_id.id, "move_id": move.id, "trigger": trigger}
                for move in moves
                if move.id not in waiting
            ]
        )

    @api.model
    def _ged_lock_batch(self, after_id, limit):
        """Lock the next ``limit`` rows after ``after_id`` not locked by another transaction."""
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM sysengage_ged_archive_queue
                 WHERE id > %s
              ORDER BY id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                after_id,
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _ged_take(self, moves, wait=False):
        """Lock the rows of ``moves`` for this transaction; return the moves whose row it holds.

        Without ``wait``, rows locked by another transaction (the job archiving them right now) are
        skipped: that transaction archives them. With ``wait``, this transaction waits for it.
        """
        if not moves:
            return moves
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT move_id FROM sysengage_ged_archive_queue WHERE move_id IN %s ORDER BY id FOR UPDATE%s",
                tuple(moves.ids),
                SQL("") if wait else SQL(" SKIP LOCKED"),
            )
        )
        taken = {row[0] for row in self.env.cr.fetchall()}
        return moves.filtered(lambda move: move.id in taken)

    def _ged_done(self):
        """Remove the rows of archived invoices (in the transaction that archived them)."""
        return self.sudo().with_context(sysengage_ged_queue_token=_QUEUE_TOKEN).unlink()

    def _ged_failed(self, error):
        for row in self.sudo().with_context(sysengage_ged_queue_token=_QUEUE_TOKEN):
            row.write({"error": str(error)[:500], "attempts": row.attempts + 1})
