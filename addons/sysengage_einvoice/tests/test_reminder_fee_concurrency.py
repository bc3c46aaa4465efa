"""A reminder fee invoiced exactly once with real, committed transactions: two users at once.

These tests cannot run inside the usual rolled-back test transaction: each user works in a cursor of his own and
commits, as the server does for each request. They create their own data and delete it afterwards.
"""

import threading
import time
from unittest.mock import patch

from odoo import fields
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.sysengage_base.tests.common import SysengageCommittedCase
from odoo.addons.sysengage_einvoice.models.sysengage_reminder import SysengageReminder

TIMEOUT = 60


@tagged("post_install", "-at_install")
class TestReminderFeeConcurrency(SysengageCommittedCase):
    def setUp(self):
        super().setUp()
        self.ids = {}
        self.addCleanup(self._cleanup)
        with self.registry.cursor() as cr:
            env = self._env(cr, {"tracking_disable": True})
            company, _journal = self._committed_sale_journal(env)
            customer = self._committed_customer(env, "Concurrency Fee AG")
            level = env["sysengage.reminder.level"].create(
                {
                    "name": "Concurrency reminder",
                    "company_id": company.id,
                    "delay": 997,
                    "fee_amount": 20.0,
                    "fee_invoicing": "separate",
                }
            )
            reminder = env["sysengage.reminder"].create(
                {
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "level_id": level.id,
                    "currency_id": company.currency_id.id,
                    "date": fields.Date.today(),
                }
            )
            self.assertEqual((reminder.fee_state, reminder.fee_invoicing), ("to_invoice", "separate"))
            self.ids = {"customer": customer.id, "level": level.id, "reminder": reminder.id}

    def _cleanup(self):
        if not self.ids:
            return
        with self.registry.cursor() as cr:
            env = self._env(cr)
            moves = env["account.move"].search([("partner_id", "=", self.ids["customer"])])
            moves.filtered(lambda move: move.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            env["sysengage.reminder"].browse(self.ids["reminder"]).unlink()
            env["sysengage.reminder.level"].browse(self.ids["level"]).unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()

    def _blocked_query(self, pids, blocked, blocker):
        """The query in which the backend of ``blocked`` waits for a lock ``blocker`` holds (None if it does not
        within the timeout)."""
        deadline = time.monotonic() + TIMEOUT
        with self.registry.cursor() as probe:
            while time.monotonic() < deadline:
                if blocked in pids and blocker in pids:
                    probe.execute(
                        SQL(
                            "SELECT query FROM pg_stat_activity WHERE pid = %s AND %s = ANY(pg_blocking_pids(pid))",
                            pids[blocked],
                            pids[blocker],
                        )
                    )
                    row = probe.fetchone()
                    probe.rollback()  # the activity statistics are read once per transaction
                    if row:
                        return row[0]
                time.sleep(0.05)
        return None

    def test_two_users_invoice_the_fee_once(self):
        reminder_id = self.ids["reminder"]
        pids, done, seen, builds, errors = {}, {}, [], [], []
        first_invoiced, release_first = threading.Event(), threading.Event()
        original_build = SysengageReminder._prepare_fee_invoice_vals

        def counting_build(reminder):
            builds.append(threading.current_thread().name)
            return original_build(reminder)

        def first():
            # the first user invoices the fee, then holds his transaction open until the second one waits for it
            with self.registry.cursor() as cr:
                env = self._env(cr)
                pids["first"] = env.execute_query(SQL("SELECT pg_backend_pid()"))[0][0]
                done["first"] = env["sysengage.reminder"].browse(reminder_id)._invoice_fees().ids
                env.flush_all()
                first_invoiced.set()
                release_first.wait(timeout=TIMEOUT)
            # committed on leaving the block

        def second():
            # the second user clicks "Invoice fee" while the first one's transaction is open; the server runs his
            # request as it runs any, retried after a serialization failure
            first_invoiced.wait(timeout=TIMEOUT)
            with self.registry.cursor() as cr:
                env = self._env(cr)
                # his transaction (its snapshot) starts before the first one commits
                pids["second"] = env.execute_query(SQL("SELECT pg_backend_pid()"))[0][0]

                def attempt():
                    reminder = env["sysengage.reminder"].browse(reminder_id)
                    seen.append(reminder.fee_state)
                    done["second"] = reminder._invoice_fees().ids

                retrying(attempt, env)

        def run(function):
            try:
                function()
            except Exception as error:  # reported by the assertion below
                errors.append(repr(error))

        # the test runner holds the registry class lock while tests run; the users' environments would wait for it
        # forever (Environment() looks the registry up), as HttpCase does, use a dummy. The serialization failure
        # of the second user's first attempt is logged by the cursor ("bad query") and by retrying(): expected.
        with (
            patch.object(SysengageReminder, "_prepare_fee_invoice_vals", counting_build),
            patch.object(Registry, "_lock", DummyRLock()),
            mute_logger("odoo.sql_db", "odoo.service.model"),
        ):
            threads = [
                threading.Thread(target=run, args=(function,), name=function.__name__) for function in (first, second)
            ]
            for thread in threads:
                thread.start()
            try:
                blocked_in = self._blocked_query(pids, "second", "first")
            finally:
                release_first.set()
                for thread in threads:
                    thread.join(timeout=300)
        self.assertFalse(errors, errors)
        # the second user waited for the first one's lock of the reminder row, before building any fee invoice
        # (without the lock, he would build a second fee invoice and wait, at best, to write the reminder)
        self.assertIn("FOR UPDATE", blocked_in or "", "the second user waits in the reminder's lock")
        self.assertIn("sysengage_reminder", blocked_in)
        self.assertEqual(builds, ["first"], "the fee invoice is built once, by the first user only")
        # his first attempt still saw the fee to invoice (the race was real); once the first user committed, he
        # read the fee invoiced and invoiced nothing
        self.assertEqual(seen, ["to_invoice", "invoiced"])
        self.assertEqual(done, {"first": [reminder_id], "second": []})
        with self.registry.cursor() as cr:
            env = self._env(cr)
            reminder = env["sysengage.reminder"].browse(reminder_id)
            fee_invoices = env["account.move"].search([("partner_id", "=", self.ids["customer"])])
            self.assertEqual(len(fee_invoices), 1, "exactly one fee invoice")
            self.assertEqual(fee_invoices.state, "posted")
            self.assertEqual(fee_invoices.amount_total, 20.0)
            self.assertEqual(reminder.fee_state, "invoiced")
            self.assertEqual(reminder.fee_move_id, fee_invoices)
            notes = reminder.message_ids.filtered(lambda message: "Reminder fee invoiced" in str(message.body))
            self.assertEqual(len(notes), 1, "the fee invoice is linked once")
