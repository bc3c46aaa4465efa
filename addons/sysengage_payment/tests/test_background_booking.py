from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.sysengage_payment.models import sysengage_payment_import as import_module

from .common import PaymentCommon


@tagged("post_install", "-at_install")
class TestBackgroundBooking(PaymentCommon):
    """A file with more matched transactions than a request books is booked by the background job, one committed
    chunk of whole bank entries at a time, with the rights of the user who clicked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("sysengage_payment.ir_cron_sysengage_payment_book")
        cls.booker = cls._create_user("payment_booker", "sysengage_payment.group_user")

    def _queue(self, moves, msg_id, batch=False):
        """Import a file paying ``moves`` and click "Book matched payments" as the booker, with a request that
        books one transaction at most."""
        record = self._import(self._camt([self._qrr_tx(move) for move in moves], msg_id=msg_id, batch=batch))
        with patch.object(import_module, "BOOK_NOW_MAX", 1):
            action = record.with_user(self.booker).action_book_matched()
        return record, action

    def _run_job(self, chunk_size=2):
        """Run the scheduled action's method; returns its commits ``(processed, remaining)``."""
        commits = []

        def progress(cron, processed=0, remaining=None, deactivate=False):
            commits.append((processed, remaining))
            return float("inf")

        with (
            patch.object(type(self.env["ir.cron"]), "_commit_progress", progress),
            patch.object(import_module, "CHUNK_SIZE", chunk_size),
        ):
            self.env["sysengage.payment.import"]._cron_book_queued()
        return commits

    def test_large_file_is_queued_then_booked_chunk_by_chunk_once(self):
        moves = [self._post_invoice(), self._post_invoice(self.other_customer), self._post_invoice()]
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        record, action = self._queue(moves, "BG-1")
        # the click books nothing itself: it queues the file and wakes the job
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("3 matched transactions are booked in the background", action["params"]["message"])
        self.assertEqual(record.booking_user_id, self.booker)
        self.assertEqual(set(record.line_ids.mapped("state")), {"to_book"})
        self.assertEqual({move.payment_state for move in moves}, {"not_paid"})
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]), triggers + 1)
        # one commit per chunk, each saying what is left
        self.assertEqual(self._run_job(chunk_size=2), [(2, 1), (1, 0)])
        self.assertEqual(record.state, "done")
        self.assertFalse(record.booking_user_id)
        self.assertFalse(record.booking_error)
        self.assertEqual({move.payment_state for move in moves}, {"paid"})
        # booked as the user who clicked, not as the scheduler's user
        st_lines = record.line_ids.statement_line_id
        self.assertEqual(len(st_lines), 3)
        self.assertEqual(st_lines.create_uid, self.booker)
        # run again (a second worker, a restart): nothing is booked twice
        self.assertEqual(self._run_job(), [])
        self.assertEqual(
            self.env["account.bank.statement.line"].search_count([("journal_id", "=", self.bank_journal.id)]),
            len(st_lines),
        )

    def test_a_chunk_takes_whole_bank_entries(self):
        moves = [self._post_invoice(), self._post_invoice(self.other_customer), self._post_invoice()]
        record, _action = self._queue(moves, "BG-2", batch=True)
        # the bank's one collective credit of 3 is not cut at the chunk size of 2
        self.assertEqual(self._run_job(chunk_size=2), [(3, 0)])
        self.assertEqual(len(record.line_ids.statement_line_id), 1)
        self.assertEqual({move.payment_state for move in moves}, {"paid"})

    def test_a_refused_chunk_stops_the_file_with_its_reason(self):
        # the reason is given in the language of the user who clicked, not in the scheduler's
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "sysengage_payment")])._update_translations(["fr_FR"])
        self.booker.lang = "fr_FR"
        moves = [self._post_invoice(), self._post_invoice(self.other_customer)]
        record, _action = self._queue(moves, "BG-3")
        # the first invoice is paid by another file before the job runs
        other = self._import(self._camt([self._qrr_tx(moves[0], acct_svcr_ref="BG-3-OTHER")], msg_id="BG-3-OTHER"))
        other.action_book_matched()
        self.assertEqual(moves[0].payment_state, "paid")
        self.assertEqual(self._run_job(chunk_size=2), [(0, 0)])
        # nothing of the refused chunk is booked, the file says why and is no longer queued
        self.assertEqual(set(record.line_ids.mapped("state")), {"to_book"})
        self.assertFalse(record.line_ids.statement_line_id)
        self.assertEqual(moves[1].payment_state, "not_paid")
        self.assertFalse(record.booking_user_id)
        self.assertIn(f"{moves[0].name} est déjà payée : choisissez une autre facture", record.booking_error)
        # the user books the rest after choosing: the second line alone goes through the request
        record.line_ids.filtered(lambda line: line.move_id == moves[1]).with_user(self.booker).action_book()
        self.assertEqual(moves[1].payment_state, "paid")

    def test_small_file_is_booked_in_the_request(self):
        move = self._post_invoice()
        record = self._import(self._camt([self._qrr_tx(move)], msg_id="BG-4"))
        self.assertIs(record.with_user(self.booker).action_book_matched(), True)
        self.assertFalse(record.booking_user_id)
        self.assertEqual(move.payment_state, "paid")
