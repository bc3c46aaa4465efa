from datetime import datetime

from odoo.tests import freeze_time, tagged

from .approval_common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalReminder(ApprovalCommon):
    def test_cron_pings_pending_requests(self):
        self._create_rule(reminder_days=2)
        move = self._big_invoice()
        cron = self.env.ref("sysengage_base.ir_cron_sysengage_approval_reminder")
        self.assertEqual(cron.code, "model._cron_send_reminders()")
        with freeze_time(datetime(2026, 3, 2, 9, 0)):
            move.action_sysengage_request_approval()
            request = self._requests(move)
            first_activity = request.activity_ids
            self.assertEqual(str(first_activity.date_deadline), "2026-03-02")
        with freeze_time(datetime(2026, 3, 3, 9, 0)):
            self.assertEqual(self.Request.sudo()._cron_send_reminders(), 0, "not yet due")
        with freeze_time(datetime(2026, 3, 4, 10, 0)):
            self.assertEqual(self.Request.sudo()._cron_send_reminders(), 1)
            self.assertFalse(first_activity.exists())
            reminder = request.activity_ids
            self.assertEqual(reminder.user_id, self.approver)
            self.assertEqual(str(reminder.date_deadline), "2026-03-04")
            self.assertIn("Reminder", reminder.summary)
            self.assertEqual(request.reminder_count, 1)
            self.assertEqual(self.Request.sudo()._cron_send_reminders(), 0, "the next reminder is two days later")
        with freeze_time(datetime(2026, 3, 6, 11, 0)):
            self.assertEqual(self.Request.sudo()._cron_send_reminders(), 1)
            self.assertEqual(request.reminder_count, 2)
            request.with_user(self.approver).action_approve()
            self.assertFalse(request.next_reminder_date)
        with freeze_time(datetime(2026, 3, 20, 11, 0)):
            self.assertEqual(self.Request.sudo()._cron_send_reminders(), 0, "decided requests are not reminded")

    def test_no_reminder_when_disabled(self):
        self._create_rule(reminder_days=0)
        move = self._big_invoice()
        move.action_sysengage_request_approval()
        self.assertFalse(self._requests(move).next_reminder_date)
