from unittest.mock import patch

import psycopg2

from odoo.tests import tagged

from odoo.addons.sysengage_payment.models import sysengage_payment_import as import_module

from .common import QR_IBAN, PaymentCommon, write_camt


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
        return record, self._click(record)

    def _click(self, record):
        """Click "Book matched payments" on ``record`` as the booker, with a request that books one transaction
        at most."""
        with patch.object(import_module, "BOOK_NOW_MAX", 1):
            return record.with_user(self.booker).action_book_matched()

    def _queue_entries(self, entries, msg_id):
        """Import a camt.054 of ``entries`` (each ``(date, entry reference of the bank, invoices paid)``, one
        credit per invoice) and queue it as the booker."""
        record = self._import(
            write_camt(
                [
                    {
                        "date": date,
                        "ntry_ref": QR_IBAN,
                        "acct_svcr_ref": reference,
                        "transactions": [self._qrr_tx(move) for move in moves],
                    }
                    for date, reference, moves in entries
                ],
                account=QR_IBAN,
                msg_id=msg_id,
            )
        )
        self._click(record)
        self.assertEqual(record.booking_user_id, self.booker)
        return record

    def _book_conflicting(self, times, record=None):
        """Patch ``_book`` to book, then fail as PostgreSQL does on a concurrent update (another worker or user
        paid one of the invoices after this transaction's snapshot) for its first ``times`` calls (on the lines of
        ``record`` only, when given). Returns the patch and the list of the file and line count of each call."""
        line_class = type(self.env["sysengage.payment.import.line"])
        book = line_class._book
        calls = []

        def conflicting(lines, allow_unmatched=False, reconcile=True):
            calls.append((lines.import_id.name, len(lines)))
            result = book(lines, allow_unmatched=allow_unmatched, reconcile=reconcile)
            if (not record or lines.import_id == record) and len(calls) <= times:
                # after its writes: what the chunk wrote must be rolled back
                raise psycopg2.errors.SerializationFailure("could not serialize access due to concurrent update")
            return result

        return patch.object(line_class, "_book", conflicting), calls

    def _statement_line_count(self):
        return self.env["account.bank.statement.line"].search_count([("journal_id", "=", self.bank_journal.id)])

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
        # one commit per step, each saying what is left: a chunk booked (its statement lines posted), then
        # reconciled with its invoices
        self.assertEqual(self._run_job(chunk_size=2), [(2, 3), (2, 1), (1, 1), (1, 0)])
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
        # the bank's one collective credit of 3 is not cut at the chunk size of 2 when booked (one statement line);
        # its reconciliation, transaction by transaction, is
        self.assertEqual(self._run_job(chunk_size=2), [(3, 3), (2, 1), (1, 0)])
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

    def test_the_click_counts_a_large_file_without_reading_its_transactions(self):
        moves = [self._post_invoice(), self._post_invoice(self.other_customer), self._post_invoice()]
        record = self._import(self._camt([self._qrr_tx(move) for move in moves], msg_id="BG-5"))
        self.env.invalidate_all()
        line_class = type(self.env["sysengage.payment.import.line"])
        fetch_query = line_class._fetch_query
        fetched = []

        def watched(lines, query, fields):
            fetched.append([field.name for field in fields])
            return fetch_query(lines, query, fields)

        with patch.object(line_class, "_fetch_query", watched):
            action = self._click(record)
        # counted by the database: no transaction of a file that is queued is read into the request
        self.assertEqual(fetched, [])
        self.assertIn("3 matched transactions are booked in the background", action["params"]["message"])
        self.assertEqual(record.booking_user_id, self.booker)

    def test_a_chunk_ends_where_the_booking_ends_a_bank_entry(self):
        # the bank numbers its entries per day: two daily collective credits with the same entry reference are two
        # bank entries (booked as two statement lines), the first one straddling the chunk size of 2
        first = [self._post_invoice(), self._post_invoice(self.other_customer), self._post_invoice()]
        second = [self._post_invoice(self.other_customer), self._post_invoice()]
        record = self._queue_entries([("2026-11-27", "E-0001", first), ("2026-11-30", "E-0001", second)], "BG-6")
        # the chunk takes the rest of the first day's entry, not the next day's
        self.assertEqual(self._run_job(chunk_size=2), [(3, 5), (2, 3), (1, 2), (2, 2), (2, 0)])
        self.assertEqual(record.state, "done")
        st_lines = record.line_ids.statement_line_id
        self.assertEqual(
            sorted((str(st.date), len(st.move_id.line_ids)) for st in st_lines), [("2026-11-27", 4), ("2026-11-30", 3)]
        )
        self.assertEqual({move.payment_state for move in first + second}, {"paid"})

    def test_a_chunk_takes_the_rest_of_every_bank_entry_it_touches(self):
        # two entries of the same day and reference, with another entry between them: the booking books them as one
        # bank entry, whether the chunk ends in it or not
        moves = [self._post_invoice(), self._post_invoice(self.other_customer), self._post_invoice()]
        record = self._queue_entries(
            [
                ("2026-11-30", "E-0007", moves[:1]),
                ("2026-11-30", "E-0008", moves[1:2]),
                ("2026-11-30", "E-0007", moves[2:]),
            ],
            "BG-7",
        )
        self.assertEqual(self._run_job(chunk_size=2), [(3, 3), (2, 1), (1, 0)])
        st_lines = record.line_ids.statement_line_id
        self.assertEqual(sorted(len(st.move_id.line_ids) for st in st_lines), [2, 3])
        self.assertEqual({move.payment_state for move in moves}, {"paid"})

    def test_a_concurrent_update_rolls_the_chunk_back_and_books_it_again(self):
        moves = [self._post_invoice(), self._post_invoice(self.other_customer), self._post_invoice()]
        record, _action = self._queue(moves, "BG-8")
        conflict, calls = self._book_conflicting(times=1)
        with conflict:
            commits = self._run_job(chunk_size=2)
        # the rolled-back chunk ends its transaction without progress, then is booked on a new snapshot
        self.assertEqual(calls, [("BG-8", 2), ("BG-8", 2), ("BG-8", 1)])
        self.assertEqual(commits, [(0, 3), (2, 3), (2, 1), (1, 1), (1, 0)])
        self.assertEqual(record.state, "done")
        self.assertFalse(record.booking_user_id)
        self.assertFalse(record.booking_error)
        # booked once: the statement lines of the rolled-back attempt are gone
        self.assertEqual(self._statement_line_count(), 3)
        self.assertEqual(len(record.line_ids.statement_line_id), 3)
        self.assertEqual({move.payment_state for move in moves}, {"paid"})

    def test_a_file_conflicting_again_and_again_stays_queued_for_the_next_run(self):
        moves = [self._post_invoice(), self._post_invoice(self.other_customer), self._post_invoice()]
        record, _action = self._queue(moves, "BG-9")
        # a second queued file, booked meanwhile
        others = [self._post_invoice(self.other_customer), self._post_invoice()]
        other = self._import(
            self._camt(
                [self._qrr_tx(move, acct_svcr_ref=f"BG-10-{index}") for index, move in enumerate(others)],
                msg_id="BG-10",
            )
        )
        self._click(other)
        retries = import_module.CONCURRENT_UPDATE_RETRIES
        conflict, calls = self._book_conflicting(times=float("inf"), record=record)
        with conflict:
            commits = self._run_job(chunk_size=2)
        # tried again a bounded number of times in this run, each on a new transaction, then left for the next run;
        # the other file is booked
        self.assertEqual(calls, [("BG-9", 2)] * (1 + retries) + [("BG-10", 2)])
        self.assertEqual(commits, [(0, 5)] * (1 + retries) + [(2, 5), (2, 3)])
        self.assertEqual(other.state, "done")
        self.assertEqual({move.payment_state for move in others}, {"paid"})
        # nothing half-written: no statement line, no reconciliation, no note on the invoices
        self.assertEqual(len(record.line_ids.statement_line_id), 0)
        self.assertEqual(self._statement_line_count(), 1)
        self.assertEqual(set(record.line_ids.mapped("state")), {"to_book"})
        self.assertEqual({move.payment_state for move in moves}, {"not_paid"})
        notes = [
            ("model", "=", "account.move"),
            ("res_id", "in", [move.id for move in moves]),
            ("body", "ilike", "received in the bank file"),
        ]
        self.assertFalse(self.env["mail.message"].search_count(notes))
        # still queued for the user who clicked, with no reason to stop: the next run books it
        self.assertEqual(record.booking_user_id, self.booker)
        self.assertFalse(record.booking_error)
        self.assertEqual(self._run_job(chunk_size=2), [(2, 3), (2, 1), (1, 1), (1, 0)])
        self.assertEqual(record.state, "done")
        self.assertEqual({move.payment_state for move in moves}, {"paid"})
        self.assertEqual(self.env["mail.message"].search_count(notes), 3)

    def test_a_booked_chunk_left_unreconciled_is_reconciled_by_the_next_run(self):
        moves = [self._post_invoice(), self._post_invoice(self.other_customer)]
        record, _action = self._queue(moves, "BG-11")
        # the booking step of the job was committed, then the worker stopped before the reconciliation step
        lines = record.line_ids.with_user(self.booker)
        lines._book(reconcile=False)
        self.assertEqual(set(lines.mapped("state")), {"booked"})
        self.assertEqual(len(lines.reconcile_line_id), 2)
        receivable_account = moves[0].line_ids.account_id.filtered(
            lambda account: account.account_type == "asset_receivable"
        )
        self.assertEqual(lines.reconcile_line_id.account_id, receivable_account)
        self.assertEqual({move.payment_state for move in moves}, {"not_paid"})
        self.assertEqual((record.state, record.reconcile_count), ("done", 2))
        self.assertEqual(record.booking_user_id, self.booker)
        # the next run reconciles them, once, as the user who clicked; the file leaves the queue
        self.assertEqual(self._run_job(chunk_size=5), [(2, 0)])
        self.assertEqual({move.payment_state for move in moves}, {"paid"})
        self.assertFalse(lines.reconcile_line_id)
        self.assertEqual(record.reconcile_count, 0)
        self.assertFalse(record.booking_user_id)
        self.assertEqual(moves[0].line_ids.matched_credit_ids.create_uid, self.booker)
        self.assertEqual(self._run_job(), [])

    def test_an_invoice_paid_between_booking_and_reconciliation_keeps_the_payment_open(self):
        moves = [self._post_invoice(), self._post_invoice(self.other_customer)]
        record, _action = self._queue(moves, "BG-12")
        lines = record.line_ids.with_user(self.booker)
        lines._book(reconcile=False)
        counterpart = lines.filtered(lambda line: line.move_id == moves[0]).reconcile_line_id
        # another file pays the first invoice before the reconciliation step
        other = self._import(self._camt([self._qrr_tx(moves[0], acct_svcr_ref="BG-12-OTHER")], msg_id="BG-12-OTHER"))
        other.action_book_matched()
        self.assertEqual(moves[0].payment_state, "paid")
        self.assertEqual(self._run_job(chunk_size=5), [(2, 0)])
        # the second invoice is paid; the first one is paid once, and the bank's amount stays open on the customer
        self.assertEqual(moves[1].payment_state, "paid")
        self.assertEqual(len(moves[0].line_ids.matched_credit_ids), 1)
        self.assertFalse(counterpart.reconciled)
        self.assertEqual(counterpart.amount_residual, -moves[0].amount_total)
        line = lines.filtered(lambda line: line.move_id == moves[0])
        self.assertFalse(line.reconcile_line_id)
        self.assertIn("paid by another payment", line.match_note)
        self.assertFalse(record.booking_user_id)

    def test_each_booking_worker_wakes_the_other(self):
        twin = self.env.ref("sysengage_payment.ir_cron_sysengage_payment_book_2")
        Import = self.env["sysengage.payment.import"]
        Trigger = self.env["ir.cron.trigger"]

        def triggers():
            return (
                Trigger.search_count([("cron_id", "=", self.cron.id)]),
                Trigger.search_count([("cron_id", "=", twin.id)]),
            )

        before = triggers()
        Import._wake_other_booking_worker()  # a direct call (a test, a shell): no scheduled action to wake
        self.assertEqual(triggers(), before)
        Import.with_context(cron_id=self.cron.id)._wake_other_booking_worker()
        self.assertEqual(triggers(), (before[0], before[1] + 1))
        Import.with_context(cron_id=twin.id)._wake_other_booking_worker()
        self.assertEqual(triggers(), (before[0] + 1, before[1] + 1))
        # an archived twin (one worker kept) is not woken
        twin.active = False
        Import.with_context(cron_id=self.cron.id)._wake_other_booking_worker()
        self.assertEqual(triggers(), (before[0] + 1, before[1] + 1))

    def test_the_job_cuts_a_file_into_the_same_chunks_for_every_worker(self):
        first = [self._post_invoice(), self._post_invoice(self.other_customer), self._post_invoice()]
        second = [self._post_invoice(self.other_customer), self._post_invoice()]
        record = self._queue_entries([("2026-11-27", "E-0001", first), ("2026-11-30", "E-0001", second)], "BG-13")
        ids = record.line_ids.sorted("id").ids
        with patch.object(import_module, "CHUNK_SIZE", 2):
            self.assertEqual(list(record._booking_chunks()), [ids[:3], ids[3:]])
            # a worker takes the first chunk free of locks (here: none held), whole
            self.assertEqual(self.env["sysengage.payment.import"]._lock_next_step([]), (record, "book", ids[:3]))
            # a file left waiting for the next run is skipped
            self.assertIsNone(self.env["sysengage.payment.import"]._lock_next_step([record.id]))

    def test_files_are_searched_by_state(self):
        move = self._post_invoice()
        record = self._import(self._camt([self._qrr_tx(move)], msg_id="BG-14"))
        Import = self.env["sysengage.payment.import"]
        self.assertIn(record, Import.search([("state", "=", "review")]))
        self.assertNotIn(record, Import.search([("state", "=", "done")]))
        record.with_user(self.booker).action_book_matched()
        self.assertEqual(record.state, "done")
        self.assertIn(record, Import.search([("state", "=", "done")]))
        self.assertNotIn(record, Import.search([("state", "!=", "done")]))
        self.assertNotIn(record, Import.search([("state", "in", ["review"])]))
