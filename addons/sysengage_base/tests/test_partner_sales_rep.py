from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestPartnerSalesRep(SysengageCommon):
    """The sales rep belongs to the company; contacts mirror it and refuse their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = cls._create_user("sg_rep_anna", "base.group_user")
        cls.other_rep = cls._create_user("sg_rep_bruno", "base.group_user")
        # a normal user with the right to edit contacts, as through the web client or XML-RPC
        cls.user = cls._create_user("sg_partner_user", "base.group_partner_manager,sysengage_base.group_user")
        cls.customer = cls._create_customer("Rep AG", user_id=cls.rep.id)
        cls.contact = cls._create_contact(cls.customer)
        cls.site = cls._create_site(cls.customer)

    def test_contacts_mirror_company_rep(self):
        self.assertEqual(self.contact.user_id, self.rep)
        self.assertEqual(self.site.user_id, self.rep)
        self.customer.with_user(self.user).write({"user_id": self.other_rep.id})
        self.assertEqual(self.contact.user_id, self.other_rep)
        self.assertEqual(self.site.user_id, self.other_rep)
        self.customer.with_user(self.user).write({"user_id": False})
        self.assertFalse(self.contact.user_id)

    def test_write_rep_on_contact_refused(self):
        contact = self.contact.with_user(self.user)
        with self.assertRaisesRegex(ValidationError, "Rep AG"):
            contact.write({"user_id": self.other_rep.id})
        self.assertEqual(self.contact.user_id, self.rep)
        # writing the company's own rep again is harmless
        contact.write({"user_id": self.rep.id, "function": "Buyer"})

    def test_create_contact_with_rep_refused(self):
        Partner = self.env["res.partner"].with_user(self.user)
        with self.assertRaises(ValidationError):
            Partner.create({"name": "Eva", "parent_id": self.customer.id, "user_id": self.other_rep.id})
        with self.assertRaises(ValidationError):
            # as an import would: several rows, one of them wrong
            Partner.with_context(import_file=True).create(
                [
                    {"name": "Ok", "parent_id": self.customer.id},
                    {"name": "Wrong", "parent_id": self.customer.id, "user_id": self.other_rep.id},
                ]
            )
        ok = Partner.create({"name": "Fritz", "parent_id": self.customer.id})
        self.assertEqual(ok.user_id, self.rep)

    def test_import_load_refused(self):
        result = (
            self.env["res.partner"]
            .with_user(self.user)
            .load(
                ["name", "parent_id/.id", "user_id/.id"], [["Imported", str(self.customer.id), str(self.other_rep.id)]]
            )
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any("company" in message["message"] for message in result["messages"]))

    def test_company_and_person_without_company_keep_their_rep(self):
        person = self.env["res.partner"].with_user(self.user).create({"name": "Solo", "user_id": self.other_rep.id})
        self.assertEqual(person.user_id, self.other_rep)
        subsidiary = self._create_customer("Rep Filiale AG", parent_id=self.customer.id, user_id=self.other_rep.id)
        self.assertEqual(subsidiary.user_id, self.other_rep, "a company in a group has its own rep")

    def test_moved_contact_takes_new_company_rep(self):
        no_rep = self._create_customer("No rep AG")
        self.contact.with_user(self.user).write({"parent_id": no_rep.id})
        self.assertFalse(self.contact.user_id)
        self.contact.with_user(self.user).write({"parent_id": self.customer.id})
        self.assertEqual(self.contact.user_id, self.rep)
        # clearing on a contact does not unlink it from its company's rep
        self.contact.with_user(self.user).write({"user_id": False})
        self.assertEqual(self.contact.user_id, self.rep)

    def test_contact_form_shows_company_rep(self):
        with Form(self.env["res.partner"].with_user(self.user)) as contact_form:
            contact_form.name = "Form contact"
            contact_form.parent_id = self.customer
            self.assertEqual(contact_form.user_id, self.rep)
        self.assertEqual(contact_form.record.user_id, self.rep)
