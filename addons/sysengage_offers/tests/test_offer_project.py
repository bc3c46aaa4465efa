from odoo.tests import tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferProject(SysengageOffersCommon):
    def test_project_with_tasks_from_accepted_service_lines(self):
        offer = self._create_offer(
            self.customer,
            [(self.service, 10), (self.service_install, 1), (self.article, 2)],
            sysengage_create_project=True,
        )
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": offer.id})
        accepted = wizard.line_ids.filtered(lambda line: line.product_id in (self.service_install | self.article))
        accepted.write({"accept": True})
        order = self.env["sale.order"].browse(wizard.action_accept()["res_id"])
        project = order.project_id
        self.assertTrue(project)
        tasks = self.env["project.task"].search([("project_id", "=", project.id)])
        self.assertEqual(len(tasks), 1, "one task per accepted service line, none for the article")
        self.assertEqual(tasks.sale_line_id.product_id, self.service_install)
        self.assertEqual(tasks.partner_id, self.customer)

    def test_no_project_when_not_asked(self):
        offer = self._create_offer(self.customer, [(self.service, 10)])
        offer.action_confirm()
        self.assertFalse(offer.project_id)
