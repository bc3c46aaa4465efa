from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPartnerGroupingCodes(SysengageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zurich = cls._create_grouping_code("ZH", "Zurich", type_code="T_REGION")
        cls.bern = cls._create_grouping_code("BE", "Bern", type_code="T_REGION")
        cls.key = cls._create_grouping_code("KEY", "Key account", type_code="T_SEGMENT")
        cls.alpha = cls._create_customer("Alpha AG", sysengage_grouping_code_ids=[(6, 0, (cls.zurich | cls.key).ids)])
        cls.beta = cls._create_customer("Beta AG", sysengage_grouping_code_ids=[(6, 0, cls.bern.ids)])
        cls.alpha_contact = cls._create_contact(cls.alpha, "Alpha Contact")

    def test_several_codes_and_filters(self):
        Partner = self.env["res.partner"]
        # the search view's filter: on the commercial partner, so contacts are found too
        found = Partner.search([("commercial_partner_id.sysengage_grouping_code_ids", "in", self.key.ids)])
        self.assertEqual(found & (self.alpha | self.beta | self.alpha_contact), self.alpha | self.alpha_contact)
        found = Partner.search([("sysengage_grouping_code_ids.code", "=", "BE")])
        self.assertEqual(found, self.beta)
        self.assertEqual(self.zurich.partner_count, 1)
        action = self.zurich.action_open_partners()
        self.assertEqual(Partner.search(action["domain"]), self.alpha)

    def test_group_by_grouping_code(self):
        groups = self.env["res.partner"]._read_group(
            [("id", "in", (self.alpha | self.beta).ids)], ["sysengage_grouping_code_ids"], ["__count"]
        )
        counts = dict(groups)
        self.assertEqual(counts[self.zurich], 1)
        self.assertEqual(counts[self.bern], 1)
        self.assertEqual(counts[self.key], 1)

    def test_display_name_and_name_search(self):
        self.assertEqual(self.zurich.display_name, "T_Region: ZH Zurich")
        self.assertIn(self.key, self.env["sysengage.grouping.code"].search([("display_name", "ilike", "KEY")]))
        self.assertEqual(self.zurich.type_id.code_count, 2)

    @mute_logger("odoo.sql_db")
    def test_code_unique_per_type(self):
        self._create_grouping_code("ZH", "Zurich customers", type_code="T_SEGMENT")
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_grouping_code("ZH", "Again", type_code="T_REGION")
