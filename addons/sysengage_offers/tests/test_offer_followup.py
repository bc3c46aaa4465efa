from datetime import date, timedelta

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferFollowUp(SysengageOffersCommon):
    def test_new_revision_keeps_the_link(self):
        self._create_condition("Payment 30 days")
        offer = self._create_offer(self.customer, [(self.service, 2)], sysengage_intro_text="<p>Version one</p>")
        action = offer.action_sysengage_new_revision()
        revision2 = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(revision2.sysengage_previous_offer_id, offer)
        self.assertEqual(revision2.sysengage_revision, 2)
        self.assertEqual(revision2.name, f"{offer.name}-R2")
        self.assertIn("Version one", revision2.sysengage_intro_text)
        self.assertEqual(len(revision2.sysengage_condition_line_ids), 1)
        self.assertEqual(offer.state, "cancel")
        self.assertEqual(offer.sysengage_next_offer_ids, revision2)
        revision3 = self.env["sale.order"].browse(revision2.action_sysengage_new_revision()["res_id"])
        self.assertEqual(revision3.name, f"{offer.name}-R3")
        self.assertEqual(revision3.sysengage_previous_offer_id, revision2)
        with self.assertRaisesRegex(UserError, "not confirmed"):
            offer.action_sysengage_new_revision()

    def test_mark_lost_with_reason(self):
        offer = self._create_offer(self.customer, [(self.service, 2)])
        reason = self.env.ref("sysengage_offers.sysengage_offer_lost_reason_competitor")
        action = offer.action_sysengage_mark_lost()
        with Form(self.env[action["res_model"]].with_context(**action["context"])) as form:
            form.lost_reason_id = reason
            form.note = "Cheaper elsewhere"
        form.record.action_mark_lost()
        self.assertEqual(offer.state, "cancel")
        self.assertEqual(offer.sysengage_lost_reason_id, reason)
        self.assertEqual(offer.sysengage_lost_note, "Cheaper elsewhere")
        self.assertEqual(reason.order_count, 1)
        order = self._create_offer(self.customer, [(self.service, 1)])
        order.action_confirm()
        wizard = self.env["sysengage.offer.lost.wizard"].create({"order_ids": order.ids, "lost_reason_id": reason.id})
        with self.assertRaisesRegex(UserError, "Only open offers"):
            wizard.action_mark_lost()

    def test_validity_reminder(self):
        self.company.sysengage_offer_reminder_days = 5
        rep = self._create_user("rep_reminder", "sysengage_offers.group_user")
        with freeze_time("2026-03-01"):
            lines = [(self.service, 1)]
            soon = self._create_offer(self.customer, lines, user_id=rep.id, validity_date=date(2026, 3, 4))
            later = self._create_offer(self.customer, lines, user_id=rep.id, validity_date=date(2026, 3, 20))
            done = self._create_offer(self.customer, lines, user_id=rep.id, validity_date=date(2026, 3, 3))
            done.action_confirm()
            self.env["sale.order"]._cron_sysengage_validity_reminder()
            self.assertEqual(len(soon.activity_ids), 1)
            self.assertEqual(soon.activity_ids.user_id, rep)
            self.assertEqual(soon.activity_ids.date_deadline, date(2026, 3, 4))
            self.assertEqual(soon.sysengage_reminder_date, date(2026, 3, 1))
            self.assertFalse(later.activity_ids)
            self.assertFalse(done.activity_ids)
            # run again: no second reminder
            self.env["sale.order"]._cron_sysengage_validity_reminder()
            self.assertEqual(len(soon.activity_ids), 1)
        with freeze_time("2026-03-16"):
            self.env["sale.order"]._cron_sysengage_validity_reminder()
            self.assertEqual(len(later.activity_ids), 1)

    def test_event_history(self):
        offer = self._create_offer(self.customer, [(self.service, 2)])
        # a date surely different from the default validity (today + N days), so that it is a change
        offer.validity_date = (offer.validity_date or date(2026, 12, 31)) + timedelta(days=7)
        events = self.env["sysengage.event"].search([("res_model", "=", "sale.order"), ("res_id", "=", offer.id)])
        self.assertEqual(set(events.mapped("event_type")), {"create", "write"})
