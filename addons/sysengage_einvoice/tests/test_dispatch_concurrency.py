"""Exactly-once sending with real, committed transactions: two cron workers at once.

These tests cannot run inside the usual rolled-back test transaction: each worker commits in its
own cursor, like the cron does. They create their own data and delete it afterwards.
"""

import email
import threading
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import tagged

from odoo.addons.sysengage_base.tests.common import SysengageCommittedCase
from odoo.addons.sysengage_einvoice.tools import transport

from .servers import SmtpServer

DOCUMENT_COUNT = 8


class DispatchCommittedCase(SysengageCommittedCase):
    """Committed invoices of a customer on an e-mail channel to a loopback SMTP server (no tests)."""

    def setUp(self):
        super().setUp()
        self.smtp = self.enterContext(SmtpServer())
        self.addCleanup(self._cleanup)
        self.ids = {}
        with self.registry.cursor() as cr:
            env = self._env(cr, {"tracking_disable": True})
            company = env.ref("base.main_company")
            journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
            customer = env["res.partner"].create(
                {
                    "name": "Concurrency Mail AG",
                    "is_company": True,
                    "email": "ap@concurrency.example.ch",
                    "street": "Seestrasse 1",
                    "zip": "6003",
                    "city": "Luzern",
                    "country_id": env.ref("base.ch").id,
                    "invoice_sending_method": "sysengage_email",
                }
            )
            product = env["product.product"].create({"name": "Concurrency service", "type": "service"})
            mail_server = env["ir.mail_server"].create(
                {"name": "Loopback", "smtp_host": "127.0.0.1", "smtp_port": self.smtp.port, "smtp_encryption": "none"}
            )
            channel = env["sysengage.einvoice.channel"].create(
                {
                    "name": "Concurrency e-mail",
                    "channel_type": "email",
                    "company_id": company.id,
                    "mail_server_id": mail_server.id,
                    "sequence": -100,
                }
            )
            flow = env["sysengage.dispatch.flow"].create(
                {"name": "Concurrency flow", "channel_id": channel.id, "sender_email": "billing@sysengage.example"}
            )
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "journal_id": journal.id,
                        "invoice_date": fields.Date.today(),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "quantity": 1,
                                    "price_unit": 100.0 + index,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for index in range(DOCUMENT_COUNT)
                ]
            )
            moves.action_post()
            documents = env["sysengage.einvoice.document"]._create_for_moves(moves)
            self.assertEqual(documents.channel_id, channel)
            self.assertFalse(any(documents.mapped("state_message")), documents.mapped("state_message"))
            documents.write({"planned_date": fields.Datetime.now() - timedelta(minutes=1)})
            self.ids = {
                "customer": customer.id,
                "product": product.id,
                "mail_server": mail_server.id,
                "channel": channel.id,
                "flow": flow.id,
                "moves": moves.ids,
                "documents": documents.ids,
                "names": moves.mapped("name"),
            }

    def _cleanup(self):
        if not self.ids:
            return
        with self.registry.cursor() as cr:
            env = self._env(cr)
            documents = env["sysengage.einvoice.document"].browse(self.ids["documents"]).exists()
            documents.attachment_ids.unlink()
            documents.unlink()
            moves = env["account.move"].browse(self.ids["moves"])
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            env["sysengage.dispatch.flow"].browse(self.ids["flow"]).unlink()
            env["sysengage.einvoice.channel"].browse(self.ids["channel"]).unlink()
            env["ir.mail_server"].browse(self.ids["mail_server"]).unlink()
            env["product.product"].browse(self.ids["product"]).unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()

    def _run_cron(self):
        # as ir.cron runs it: a progress record in the context, one commit per document
        with self.registry.cursor() as cr:
            env = self._env(cr)
            cron = env.ref("sysengage_einvoice.ir_cron_sysengage_einvoice_send")
            cron, _progress = cron.with_context(cron_id=cron.id)._add_progress()
            env(context=cron.env.context)["sysengage.einvoice.document"]._cron_send_due()

    def _send_now(self):
        # a user clicking "Send now" on every document (each one sent and committed on its own)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["sysengage.einvoice.document"].browse(self.ids["documents"]).action_send_now()


@tagged("post_install", "-at_install")
class TestDispatchConcurrency(DispatchCommittedCase):
    def _race(self, *runs, delays):
        """Run ``runs`` in threads started together; the SMTP delivery of the n-th thread takes
        ``delays[n]`` seconds. Returns the errors raised in the threads."""
        barrier = threading.Barrier(len(runs))
        errors = []
        original = transport.smtp_send

        def slow_smtp_send(*args, **kwargs):
            # a slow mail server widens the window in which both workers hold the same documents
            time.sleep(delays[int(threading.current_thread().name.split("-")[1])])
            return original(*args, **kwargs)

        def worker(run):
            try:
                barrier.wait(timeout=30)
                run()
            except Exception as error:  # reported by the caller's assertion
                errors.append(repr(error))

        # the test runner holds the registry class lock while tests run; the workers' environments
        # would wait for it forever (Environment() looks the registry up), as HttpCase does, use a dummy
        with (
            patch.object(transport, "smtp_send", slow_smtp_send),
            patch.object(Registry, "_lock", DummyRLock()),
        ):
            threads = [
                threading.Thread(target=worker, args=(run,), name=f"worker-{index}") for index, run in enumerate(runs)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        return errors

    def _assert_sent_once(self):
        subjects = sorted(
            email.message_from_bytes(message["data"])["Subject"].split(" from ", 1)[0] for message in self.smtp.messages
        )
        expected = sorted(f"Invoice {name}" for name in self.ids["names"])
        self.assertEqual(subjects, expected, "each invoice delivered exactly once")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            documents = env["sysengage.einvoice.document"].browse(self.ids["documents"])
            self.assertEqual(set(documents.mapped("state")), {"sent"})
            self.assertEqual(set(documents.mapped("attempt_count")), {1})
            for document in documents:
                sent_notes = document.message_ids.filtered(lambda message: "E-mailed to" in str(message.body))
                self.assertEqual(len(sent_notes), 1, document.name)
        # one more run finds nothing left to send
        self._run_cron()
        self.assertEqual(len(self.smtp.messages), DOCUMENT_COUNT)

    def test_two_cron_workers_send_each_document_once(self):
        errors = self._race(self._run_cron, self._run_cron, delays=[0.2, 0.2])
        self.assertFalse(errors, errors)
        self._assert_sent_once()

    def test_cron_and_send_now_at_once(self):
        # the cron commits each document while "Send now" holds one long transaction whose snapshot
        # predates those commits: its lock of a document the cron has sent meanwhile must skip it
        errors = self._race(self._run_cron, self._send_now, delays=[0.05, 0.4])
        self.assertFalse(errors, errors)
        self._assert_sent_once()
