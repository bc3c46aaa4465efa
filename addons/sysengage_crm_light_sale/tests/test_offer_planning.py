from datetime import date

from odoo.tests import tagged

from odoo.addons.sysengage_crm_light.tests.common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestOfferPlanning(CrmLightCommon):
    def test_activities_on_offers_in_the_planning(self):
        self.assertIn("sale.order", self.env["sysengage.planning.item"]._get_activity_models())
        offer = self._create_offer(self.customer_a, [(self.service, 1)], user_id=self.rep_anna.id)
        offer.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=date(2026, 5, 6),
            summary="Offer call",
            user_id=self.rep_anna.id,
        )
        self.env.flush_all()
        items = self.env["sysengage.planning.item"].with_user(self.manager).search([("name", "=", "Offer call")])
        self.assertEqual((items.res_model, items.res_id), ("sale.order", offer.id))
        self.assertEqual(items.user_id, self.rep_anna)
