from odoo.tests import Form, tagged

from .common import SysengageOffersCommon


@tagged("post_install", "-at_install")
class TestOfferProjectDefault(SysengageOffersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sysengage_offer_project_default = True
        cls.switch = cls._create_article("Access point", price=300.0, sysengage_install_task=True)

    def _accept(self, offer, products, quantity=None):
        wizard = self.env["sysengage.offer.acceptance.wizard"].create({"offer_id": offer.id})
        lines = wizard.line_ids.filtered(lambda line: line.product_id in products)
        lines.write({"accept": True})
        if quantity:
            lines.write({"quantity": quantity})
        return self.env["sale.order"].browse(wizard.action_accept()["res_id"])

    def _tasks(self, project):
        return self.env["project.task"].search([("project_id", "=", project.id)])

    def test_setting_makes_every_offer_create_a_project(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.sysengage_offer_project_default)
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            self.assertTrue(form.sysengage_create_project, "the company's default")
            with form.order_line.new() as line:
                line.product_id = self.service
        offer = form.record
        offer.action_confirm()
        project = offer.project_id
        self.assertTrue(project)
        self.assertEqual(project.sysengage_offer_id, offer, "the project points back to its offer")
        self.assertEqual(self._tasks(project).sale_line_id, offer.order_line)
        self.assertEqual(project.action_sysengage_view_offer()["res_id"], offer.id)
        # a template without the flag keeps the company's default
        template = self.env["sale.order.template"].create({"name": "No flag"})
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.customer
            form.sale_order_template_id = template
            self.assertTrue(form.sysengage_create_project)
            # the sales rep may still opt out for one offer
            form.sysengage_create_project = False
            with form.order_line.new() as line:
                line.product_id = self.service
        form.record.action_confirm()
        self.assertFalse(form.record.project_id)

    def test_setting_off_keeps_the_opt_in(self):
        settings = self.env["res.config.settings"].create({"sysengage_offer_project_default": False})
        settings.execute()
        self.assertFalse(self.company.sysengage_offer_project_default)
        offer = self._create_offer(self.customer, [(self.service, 2)])
        self.assertFalse(offer.sysengage_create_project)
        offer.action_confirm()
        self.assertFalse(offer.project_id)

    def test_goods_to_install_make_tasks_when_asked(self):
        offer = self._create_offer(self.customer, [(self.service, 2), (self.switch, 3), (self.article, 1)])
        offer.action_confirm()
        self.assertEqual(len(self._tasks(offer.project_id)), 1, "services only by default")
        self.company.sysengage_offer_project_goods = True
        offer = self._create_offer(self.customer, [(self.service, 2), (self.switch, 3), (self.article, 1)])
        offer.action_confirm()
        tasks = self._tasks(offer.project_id)
        self.assertEqual(len(tasks), 2, "the service and the good to install; the plain article makes none")
        install = tasks.filtered(lambda task: "Install Access point" in task.name)
        self.assertEqual(len(install), 1)
        self.assertFalse(install.sale_line_id, "a good is not billed through its task")
        self.assertEqual(install.partner_id, self.customer)
        self.assertEqual(offer.order_line.filtered(lambda line: line.product_id == self.switch).task_id, install)

    def test_goods_only_offer_gets_a_project(self):
        self.company.sysengage_offer_project_goods = True
        offer = self._create_offer(self.customer, [(self.switch, 2)])
        offer.action_confirm()
        self.assertTrue(offer.project_id)
        self.assertEqual(offer.project_id.sysengage_offer_id, offer)
        self.assertEqual(len(self._tasks(offer.project_id)), 1)

    def test_partial_acceptances_share_one_project(self):
        self.company.sysengage_offer_project_goods = True
        offer = self._create_offer(self.customer, [(self.service, 10), (self.service_install, 1), (self.switch, 4)])
        first = self._accept(offer, self.service, quantity=4)
        project = first.project_id
        self.assertTrue(project)
        self.assertEqual(offer.project_id, project, "the offer points to its project")
        self.assertEqual(project.sysengage_offer_id, offer)
        second = self._accept(offer, self.service | self.service_install | self.switch)
        self.assertEqual(second.project_id, project, "a further acceptance adds its tasks to the same project")
        tasks = self._tasks(project)
        self.assertEqual(len(tasks), 4, "4 hours, then 6 hours, the installation service and the switch")
        self.assertEqual(self.env["project.project"].search_count([("sysengage_offer_id", "=", offer.id)]), 1)
