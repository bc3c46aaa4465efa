from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPartnerIdentifiers(SysengageCommon):
    """Swiss UID and VAT numbers validated by the rule of ``tools/swiss_identifiers.py``."""

    def test_valid_numbers_formatted(self):
        partner = self._create_customer("UID AG", company_registry="che116281710", vat="CHE116281710MWST")
        self.assertEqual(partner.company_registry, "CHE-116.281.710")
        self.assertEqual(partner.vat, "CHE-116.281.710 MWST")
        partner.write({"vat": "CHE-116.281.710 TVA"})
        self.assertEqual(partner.vat, "CHE-116.281.710 TVA")

    def test_wrong_check_digit(self):
        with self.assertRaisesRegex(ValidationError, "check digit"):
            self._create_customer("Bad UID AG", company_registry="CHE-116.281.711")

    def test_wrong_length_and_suffix(self):
        with self.assertRaisesRegex(ValidationError, "number of digits"):
            self._create_customer("Short UID AG", company_registry="CHE-116.281")
        with self.assertRaisesRegex(ValidationError, "MWST"):
            self._create_customer("Bad VAT AG", vat="CHE-116.281.710 XYZ")

    def test_vat_of_another_uid(self):
        with self.assertRaisesRegex(ValidationError, "does not belong"):
            self._create_customer("Mixed AG", company_registry="CHE-116.281.710", vat="CHE-105.805.081 MWST")

    def test_foreign_and_empty_numbers_untouched(self):
        german = self._create_customer("Deutsch GmbH", country_id=self.env.ref("base.de").id, vat="DE123456788")
        self.assertEqual(german.vat, "DE123456788")
        self._create_customer("Not subject AG", vat="/")
        # a Swiss company may hold an EU VAT number or a former commercial register number
        self._create_customer("Grenz AG", vat="DE123456788", company_registry="CH-020.3.012.345-6")
        with self.assertRaisesRegex(ValidationError, "CHE-123.456.789"):
            self._create_customer("Digits AG", company_registry="116281710")
