from odoo.tests import tagged

from .common import QR_IBAN, SysengageCommon


@tagged("post_install", "-at_install")
class TestFoundation(SysengageCommon):
    def test_swiss_company(self):
        self.assertEqual(self.company.country_id.code, "CH")
        self.assertEqual(self.company.currency_id, self.chf)
        self.assertEqual([self.vat_81.amount, self.vat_26.amount, self.vat_38.amount], [8.1, 2.6, 3.8])
        self.assertEqual(self.qr_iban_account.acc_number.replace(" ", ""), QR_IBAN)

    def test_factories(self):
        customer = self._create_customer("Factory AG")
        contact = self._create_contact(customer)
        site = self._create_site(customer)
        self.assertTrue(customer.is_company)
        self.assertEqual(contact.commercial_partner_id, customer)
        self.assertEqual(site.type, "delivery")
        service = self._create_service()
        invoice = self._create_invoice(customer, [(service, 2, 100.0)], post=True)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 200.0)
        self.assertAlmostEqual(invoice.amount_tax, 16.2)

    def test_manager_implies_user(self):
        manager = self._create_user("sg_manager", "sysengage_base.group_manager")
        self.assertTrue(manager.has_group("sysengage_base.group_user"))
        user = self._create_user("sg_user", "sysengage_base.group_user")
        self.assertFalse(user.has_group("sysengage_base.group_manager"))
