from datetime import date

from odoo.tests import freeze_time, tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPartnerHierarchy(SysengageCommon):
    """Group → company → sites → contacts, with revenue of the year rolled up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group = cls._create_customer("Holding AG")
        cls.company_a = cls._create_customer("Tochter A AG", parent_id=cls.group.id)
        cls.company_b = cls._create_customer("Tochter B AG", parent_id=cls.group.id)
        cls.site_a = cls._create_site(cls.company_a)
        cls.contact_a = cls._create_contact(cls.company_a)
        cls.service = cls._create_service("Hierarchy service", price=100.0)

    def _invoice(self, partner, amount, invoice_date, move_type="out_invoice"):
        return self._create_invoice(
            partner, [(self.service, 1, amount)], post=True, invoice_date=invoice_date, move_type=move_type
        )

    @freeze_time("2026-06-15 10:00:00")
    def test_revenue_rolled_up(self):
        today = date(2026, 6, 15)
        this_year = today.replace(month=1, day=1)
        self._invoice(self.company_a, 1000.0, this_year)
        self._invoice(self.site_a, 200.0, this_year)
        self._invoice(self.contact_a, 50.0, this_year)
        self._invoice(self.company_b, 300.0, this_year)
        self._invoice(self.company_b, 100.0, this_year, move_type="out_refund")
        self._invoice(self.company_a, 5000.0, this_year.replace(year=today.year - 1))
        self._create_invoice(self.company_a, [(self.service, 1, 777.0)], invoice_date=this_year)  # draft
        partners = self.group | self.company_a | self.company_b | self.site_a
        partners.invalidate_recordset(["sysengage_rollup_revenue"])
        self.assertEqual(self.company_a.sysengage_rollup_revenue, 1250.0)
        self.assertEqual(self.company_b.sysengage_rollup_revenue, 200.0)
        self.assertEqual(self.site_a.sysengage_rollup_revenue, 200.0)
        self.assertEqual(self.group.sysengage_rollup_revenue, 1450.0)
        self.assertEqual(self.group.sysengage_rollup_open_offer_count, 0, "base has no offers")

    def test_rollup_is_per_year(self):
        self._invoice(self.company_a, 400.0, "2026-03-01")
        with freeze_time("2027-02-01"):
            self.company_a.invalidate_recordset(["sysengage_rollup_revenue"])
            self.assertEqual(self.company_a.sysengage_rollup_revenue, 0.0)
        with freeze_time("2026-12-31"):
            self.company_a.invalidate_recordset(["sysengage_rollup_revenue"])
            self.assertEqual(self.company_a.sysengage_rollup_revenue, 400.0)

    def test_rollup_year_in_the_users_time_zone(self):
        """At 23:30 UTC on 31 December it is already 1 January in Zurich: the year is Zurich's."""
        self.env.user.tz = "Europe/Zurich"
        self._invoice(self.company_a, 700.0, "2027-01-01")
        self._invoice(self.company_a, 90.0, "2026-12-31")
        with freeze_time("2026-12-31 23:30:00"):
            self.company_a.invalidate_recordset(["sysengage_rollup_revenue"])
            self.assertEqual(self.company_a.sysengage_rollup_revenue, 700.0)
        with freeze_time("2026-12-31 22:30:00"):
            self.company_a.invalidate_recordset(["sysengage_rollup_revenue"])
            self.assertEqual(self.company_a.sysengage_rollup_revenue, 90.0)

    def test_hierarchy_ids_and_action(self):
        families = (self.group | self.company_a)._sysengage_get_hierarchy_ids()
        self.assertEqual(
            families[self.group.id],
            set((self.group | self.company_a | self.company_b | self.site_a | self.contact_a).ids),
        )
        self.assertEqual(families[self.company_a.id], set((self.company_a | self.site_a | self.contact_a).ids))
        self.assertEqual(self.group.sysengage_child_company_count, 2)
        self.assertEqual(self.company_a.sysengage_site_count, 1)
        action = self.contact_a.action_sysengage_open_hierarchy()
        self.assertEqual(action["domain"], [("id", "child_of", self.group.id)])
        self.assertEqual(action["views"][0][1], "hierarchy")

    def test_rollup_seam_for_other_addons(self):
        families = self.group._sysengage_get_hierarchy_ids()
        counts = self.env["res.partner"]._sysengage_rollup_aggregate(
            families, "res.partner", [("type", "=", "delivery")], "id", "__count"
        )
        self.assertEqual(counts, {self.group.id: 1})
