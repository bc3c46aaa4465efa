"""Exactly-once sending when a request is replayed, and one bad document in the dispatch cron.

Committed transactions (like a web request and the cron): each step opens its own cursor.
"""

import email

from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .test_dispatch_concurrency import DOCUMENT_COUNT, DispatchCommittedCase


@tagged("post_install", "-at_install")
class TestDispatchReplay(DispatchCommittedCase):
    def _subjects(self):
        return sorted(email.message_from_bytes(message["data"])["Subject"] for message in self.smtp.messages)

    def test_send_now_replayed_after_serialization_failure_sends_once(self):
        failures = []

        with self.registry.cursor() as cr:
            env = self._env(cr)
            documents = env["sysengage.einvoice.document"].browse(self.ids["documents"][:3])

            def request():
                # "Send now", then a concurrent update makes the request fail at its end: Odoo rolls it
                # back and replays it, as the web server does after a serialization failure
                documents.action_send_now()
                if not failures:
                    failures.append(True)
                    env.cr.execute(
                        SQL("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = 'serialization_failure'; END $$")
                    )

            with mute_logger("odoo.sql_db"):  # the simulated failure is logged as a bad query
                retrying(request, env)
        self.assertEqual(failures, [True], "the request was replayed once")
        self.assertEqual(len(self.smtp.messages), 3, self._subjects())
        self.assertEqual(len(set(self._subjects())), 3, "each invoice e-mailed once")
        with self.registry.cursor() as cr:
            documents = self._env(cr)["sysengage.einvoice.document"].browse(self.ids["documents"][:3])
            self.assertEqual(set(documents.mapped("state")), {"sent"})
            self.assertEqual(set(documents.mapped("attempt_count")), {1})

    def test_one_bad_document_does_not_stop_the_dispatch_cron(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            bad = env["res.partner"].create(
                {"name": "Accounts\nPayable", "email": "ap2@concurrency.example.ch", "parent_id": self.ids["customer"]}
            )
            self.ids["bad_partner"] = bad.id
            # the first document of the queue: it used to stop every run before the others
            first = env["sysengage.einvoice.document"].browse(self.ids["documents"][0])
            first.recipient_ids = bad
        self.addCleanup(self._drop_bad_partner)
        with mute_logger("odoo.addons.sysengage_einvoice.models.sysengage_einvoice_document"):
            self._run_cron()
        self.assertEqual(len(self.smtp.messages), DOCUMENT_COUNT - 1)
        with self.registry.cursor() as cr:
            documents = self._env(cr)["sysengage.einvoice.document"].browse(self.ids["documents"])
            first, others = documents[0], documents[1:]
            self.assertEqual(first.state, "error")
            self.assertIn("linefeed", first.state_message)
            self.assertEqual(set(others.mapped("state")), {"sent"})
        # the next runs go on (nothing left to send); the document waits for a user to fix and resend it
        self._run_cron()
        self.assertEqual(len(self.smtp.messages), DOCUMENT_COUNT - 1)
        # a user fixes the name and sends it again (each click its own request)
        with self.registry.cursor() as cr:
            first = self._env(cr)["sysengage.einvoice.document"].browse(self.ids["documents"][0])
            first.recipient_ids.name = "Accounts Payable"
            first.action_reset_to_send()
        with self.registry.cursor() as cr:
            first = self._env(cr)["sysengage.einvoice.document"].browse(self.ids["documents"][0])
            first.action_send_now()
        with self.registry.cursor() as cr:
            first = self._env(cr)["sysengage.einvoice.document"].browse(self.ids["documents"][0])
            self.assertEqual(first.state, "sent")
        self.assertEqual(len(self.smtp.messages), DOCUMENT_COUNT)

    def _drop_bad_partner(self):
        with self.registry.cursor() as cr:
            self._env(cr)["res.partner"].browse(self.ids["bad_partner"]).unlink()
