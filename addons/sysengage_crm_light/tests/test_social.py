from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmLightCommon


@tagged("post_install", "-at_install")
class TestSocialProfiles(CrmLightCommon):
    def test_profiles_normalised(self):
        contact = self._create_contact(
            self.customer_a,
            sysengage_linkedin_url="ch.linkedin.com/in/anna-muster/",
            sysengage_x_url="http://twitter.com/annamuster",
        )
        self.assertEqual(contact.sysengage_linkedin_url, "https://ch.linkedin.com/in/anna-muster")
        self.assertEqual(contact.sysengage_x_url, "https://twitter.com/annamuster")
        self.assertTrue(contact.sysengage_has_social)
        self.customer_a.sysengage_instagram_url = "https://www.instagram.com/alpha_sa"
        self.assertEqual(self.customer_a.sysengage_instagram_url, "https://www.instagram.com/alpha_sa")

    def test_invalid_profiles_refused(self):
        with self.assertRaises(ValidationError):
            self.customer_a.sysengage_linkedin_url = "https://www.xing.com/profile/Anna_Muster"
        with self.assertRaises(ValidationError):
            self.customer_a.sysengage_facebook_url = "https://www.facebook.com/"
        with self.assertRaises(ValidationError):
            self._create_contact(self.customer_a, sysengage_xing_url="ftp://xing.com/profile/x")
        self.customer_a.sysengage_linkedin_url = False
        self.assertFalse(self.customer_a.sysengage_linkedin_url)
