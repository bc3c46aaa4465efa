from odoo.tests import tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPartnerProductKind(SysengageCommon):
    """Product / service hierarchy on categories."""

    def test_kind_inherited_by_sub_categories(self):
        self.product_category_services.sysengage_kind = "service"
        consulting = self.env["product.category"].create(
            {"name": "Consulting", "parent_id": self.product_category_services.id}
        )
        workshop = self.env["product.category"].create({"name": "Workshops", "parent_id": consulting.id})
        self.assertEqual(workshop.sysengage_kind, "service")
        workshop.parent_id = self.product_category_articles
        self.assertEqual(workshop.sysengage_kind, "service", "a parent without kind leaves the kind as it was")
        self.product_category_articles.sysengage_kind = "article"
        self.assertEqual(workshop.sysengage_kind, "article")

    def test_product_kind_counts_and_mismatch(self):
        self.product_category_services.sysengage_kind = "service"
        self.product_category_articles.sysengage_kind = "article"
        service = self._create_service()
        article = self._create_article()
        misplaced = self._create_article("Cable", price=5.0, categ_id=self.product_category_services.id)
        self.assertEqual(service.sysengage_kind, "service")
        self.assertEqual(article.sysengage_kind, "article")
        self.assertFalse(service.sysengage_kind_mismatch)
        self.assertTrue(misplaced.sysengage_kind_mismatch)
        self.assertEqual(self.product_category_services.sysengage_service_count, 1)
        self.assertEqual(self.product_category_services.sysengage_article_count, 1)
        found = self.env["product.template"].search(
            [
                ("categ_id.sysengage_kind", "=", "service"),
                ("id", "in", (service | article | misplaced).product_tmpl_id.ids),
            ]
        )
        self.assertEqual(found, (service | misplaced).product_tmpl_id)
