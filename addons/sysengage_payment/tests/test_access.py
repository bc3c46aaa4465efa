import base64
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import PaymentCommon


@tagged("post_install", "-at_install")
class TestPaymentAccess(PaymentCommon, HttpCase):
    """Guards proved through a running server (XML-RPC) with the least groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._post_invoice()
        cls.record = cls.env["sysengage.payment.import"]._import_file(
            cls._camt([cls._qrr_tx(cls.invoice)], msg_id="ACCESS-1"), file_name="a.xml"
        )
        cls.other_company = cls.setup_other_company(name="Filiale Genf SA")["company"]
        cls.user = cls._create_user("payment_user", "sysengage_payment.group_user")
        cls.stranger = cls._create_user("no_payment", "account.group_account_invoice")
        cls.foreign_user = cls._create_user("geneva_payment", "sysengage_payment.group_user", company=cls.other_company)

    def _rpc(self, login, model, method, *args, **kwargs):
        self.env.flush_all()  # the server reads what the test wrote, on the same cursor
        uid = self.xmlrpc_common.login(self.env.cr.dbname, login, login)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, login, model, method, list(args), kwargs)

    def test_user_reads_books_but_cannot_forge(self):
        names = self._rpc("payment_user", "sysengage.payment.import", "search_read", [], fields=["name"])
        self.assertEqual([row["name"] for row in names], ["ACCESS-1"])
        line_id = self.record.line_ids.id
        # what the bank said cannot be rewritten, nor can a transaction be invented
        with self.assertRaisesRegex(Fault, "come from imported bank files only"):
            self._rpc("payment_user", "sysengage.payment.import.line", "write", [line_id], {"amount": 1.0})
        with self.assertRaisesRegex(Fault, "come from imported bank files only"):
            self._rpc("payment_user", "sysengage.payment.import.line", "write", [line_id], {"state": "booked"})
        with self.assertRaisesRegex(Fault, "come from imported bank files only"):
            self._rpc(
                "payment_user",
                "sysengage.payment.import.line",
                "create",
                {
                    "import_id": self.record.id,
                    "transaction_key": "x",
                    "date": "2026-11-30",
                    "amount": 9.0,
                    "currency_id": self.chf.id,
                    "move_id": self.invoice.id,
                },
            )
        # nor can a file be queued for the background job in another user's name
        with self.assertRaisesRegex(Fault, "come from imported bank files only"):
            self._rpc(
                "payment_user", "sysengage.payment.import", "write", [self.record.id], {"booking_user_id": self.user.id}
            )
        with self.assertRaises(Fault):
            self._rpc("payment_user", "sysengage.payment.import", "unlink", [self.record.id])
        # the user books the matched payment through the server
        self._rpc("payment_user", "sysengage.payment.import", "action_book_matched", [self.record.id])
        self.assertEqual(self.invoice.payment_state, "paid")

    def test_user_imports_a_file_through_the_wizard(self):
        move = self._post_invoice(self.other_customer)
        camt = self._camt([self._qrr_tx(move, acct_svcr_ref="ACCESS-2-TX")], msg_id="ACCESS-2")
        data = base64.b64encode(camt).decode()
        wizard = self._rpc(
            "payment_user", "sysengage.payment.import.wizard", "create", {"file": data, "file_name": "b.xml"}
        )
        action = self._rpc("payment_user", "sysengage.payment.import.wizard", "action_import", [wizard])
        record = self.env["sysengage.payment.import"].browse(action["res_id"])
        self.assertEqual(record.line_ids.move_id, move, record.line_ids.match_note)
        self.assertEqual(record.create_uid.login, "payment_user")

    def test_user_without_the_group_and_other_company(self):
        with self.assertRaisesRegex(Fault, "AccessError|not allowed"):
            self._rpc("no_payment", "sysengage.payment.import", "search_read", [], fields=["name"])
        rows = self._rpc("geneva_payment", "sysengage.payment.import", "search_read", [], fields=["name"])
        self.assertEqual(rows, [])
        with self.assertRaises(Fault):
            self._rpc("geneva_payment", "sysengage.payment.import.line", "read", self.record.line_ids.ids, ["amount"])

    def test_billing_administrator_sees_the_bank_file_settings(self):
        # a Community administrator with the billing rights has no full accounting features (core's Bank & Cash
        # block is hidden from him): the bank file settings stand in a block of their own of the Invoicing settings
        groups = "base.group_system,account.group_account_manager"
        admin = self._create_user("billing_admin", f"{groups},sysengage_payment.group_manager")
        self.assertFalse(admin.has_group("account.group_account_user"))
        for name in ("sysengage_payment_auto_book", "sysengage_payment_invoice_note"):
            self.assertIn(f'name="{name}"', self._settings_arch(admin))
        # without the bank files' manager group, the settings are not shown
        other = self._create_user("other_admin", f"{groups},sysengage_payment.group_user")
        self.assertNotIn('name="sysengage_payment_invoice_note"', self._settings_arch(other))

    def _settings_arch(self, user):
        return self.env["res.config.settings"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
