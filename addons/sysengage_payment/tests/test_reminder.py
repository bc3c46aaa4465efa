from odoo.tests import freeze_time, tagged

from .common import PaymentCommon


@tagged("post_install", "-at_install")
class TestReminderStops(PaymentCommon):
    """A payment reported by the bank stops the next reminder, booked or still waiting for review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Zurich"
        cls.Reminder = cls.env["sysengage.reminder"]
        cls.flow = cls.env["sysengage.dispatch.flow"].create(
            {
                "name": "Reminders by e-mail",
                "document_type": "reminder",
                "channel_id": cls._channel("email").id,
                "hour": 9.0,
            }
        )

    def _overdue(self, partner=None):
        return self._post_invoice(partner=partner, invoice_date="2026-10-01", invoice_date_due="2026-10-31")

    def _run(self, day):
        with freeze_time(day):
            return self.Reminder._create_due_reminders()

    def test_matched_payment_stops_the_next_reminder(self):
        waiting = self._overdue()
        booked = self._overdue(self.other_customer)
        unpaid = self._overdue(self._create_customer("Keller AG"))
        first = self._run("2026-11-10 08:00:00")
        self.assertEqual(first.line_ids.move_id, waiting | booked | unpaid)
        first.document_ids.write({"state": "sent"})
        record = self._import(self._camt([self._qrr_tx(waiting), self._qrr_tx(booked)]))
        record.line_ids.filtered(lambda line: line.move_id == booked).action_book()
        self.assertEqual(booked.payment_state, "paid")
        self.assertEqual(waiting.payment_state, "not_paid")  # matched, waiting in the review screen
        second = self._run("2026-11-30 08:00:00")
        self.assertEqual(second.line_ids.move_id, unpaid)
