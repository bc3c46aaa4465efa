"""Shared test base of the Sysengage suite.

Every Sysengage addon composes its own test common on top of :class:`SysengageCommon`:
a Swiss company (CHF, the ``l10n_ch`` chart when it is installed, VAT 8.1 % / 2.6 % / 3.8 %),
a QR-IBAN on the company, and small factories for customers, contacts, products and offers.
Tests create their own data and never rely on demo data.
"""

import json
from xmlrpc.client import Fault

from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, new_test_user
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# A QR-IBAN (QR-IID 30000-31999) and a plain IBAN, both with valid check digits.
QR_IBAN = "CH4431999123000889012"
PLAIN_IBAN = "CH9300762011623852957"
SWISS_VAT_RATES = (8.1, 2.6, 3.8)


class SysengageCommon(AccountTestInvoicingCommon):
    """A Swiss company with its chart, taxes, QR-IBAN and factories."""

    country_code = "CH"
    # Set to True on test classes that render real PDFs (force_report_rendering): wkhtmltopdf then fetches
    # the report assets from the test server, which must serve them on the test cursor.
    sysengage_render_pdf = False

    def setUp(self):
        super().setUp()
        if self.sysengage_render_pdf:
            self.enterContext(self.allow_pdf_render())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "street": "Rue du Lac 12",
                "zip": "1003",
                "city": "Lausanne",
                "vat": "CHE-116.281.710 TVA",
                "currency_id": cls.env.ref("base.CHF").id,
            }
        )
        cls.chf = cls.env.ref("base.CHF")
        cls.switzerland = cls.env.ref("base.ch")
        cls.vat_81, cls.vat_26, cls.vat_38 = (cls._get_swiss_sale_tax(rate) for rate in SWISS_VAT_RATES)
        cls.qr_iban_account = cls.env["res.partner.bank"].create(
            {
                "acc_number": QR_IBAN,
                "partner_id": cls.company.partner_id.id,
                "allow_out_payment": True,
            }
        )
        cls.company_data["default_journal_sale"].bank_account_id = cls.qr_iban_account
        cls.product_category_services = cls.env["product.category"].create({"name": "Services"})
        cls.product_category_articles = cls.env["product.category"].create({"name": "Articles"})

    # ------------------------------------------------------------------
    # Chart of accounts
    # ------------------------------------------------------------------
    @classmethod
    def _use_chart_template(cls, company, chart_template_ref=None):
        # Use the Swiss chart where l10n_ch is installed; otherwise the generic chart plus the
        # three Swiss sale taxes, so that an addon without l10n_ch in its dependencies tests alone.
        if cls.env["ir.module.module"]._get("l10n_ch").state == "installed":
            return super()._use_chart_template(company, "ch")
        super()._use_chart_template(company, "generic_coa")
        company.account_fiscal_country_id = cls.env.ref("base.ch")
        # the generic chart's own taxes (set as default taxes of every product) belong to Switzerland too,
        # or an invoice of this company refuses them as foreign to its fiscal position
        cls.env["account.tax"].search([("company_id", "=", company.id)]).country_id = cls.env.ref("base.ch")
        tax_group = cls.env["account.tax.group"].create({"name": "VAT", "company_id": company.id})
        for rate in SWISS_VAT_RATES:
            cls.env["account.tax"].create(
                {
                    "name": f"{rate}%",
                    "amount": rate,
                    "amount_type": "percent",
                    "type_tax_use": "sale",
                    "company_id": company.id,
                    "tax_group_id": tax_group.id,
                    "country_id": cls.env.ref("base.ch").id,
                }
            )
        return None

    @classmethod
    def _get_swiss_sale_tax(cls, rate):
        return cls.env["account.tax"].search(
            [
                ("company_id", "=", cls.env.company.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", rate),
                ("price_include", "=", False),
            ],
            limit=1,
        )

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    @classmethod
    def _create_customer(cls, name="Muster AG", **vals):
        """A customer company in Switzerland (a commercial partner)."""
        values = {
            "name": name,
            "is_company": True,
            "street": "Bahnhofstrasse 1",
            "zip": "8001",
            "city": "Zürich",
            "country_id": cls.env.ref("base.ch").id,
            "email": f"{name.lower().replace(' ', '.')}@example.ch",
            "invoice_sending_method": "manual",
        }
        values.update(vals)
        return cls.env["res.partner"].create(values)

    @classmethod
    def _create_contact(cls, parent, name="Anna Muster", **vals):
        values = {"name": name, "parent_id": parent.id, "type": "contact"}
        values.update(vals)
        return cls.env["res.partner"].create(values)

    @classmethod
    def _create_site(cls, parent, name="Site Bern", **vals):
        values = {
            "name": name,
            "parent_id": parent.id,
            "type": "delivery",
            "street": "Bundesplatz 3",
            "zip": "3011",
            "city": "Bern",
            "country_id": cls.env.ref("base.ch").id,
        }
        values.update(vals)
        return cls.env["res.partner"].create(values)

    @classmethod
    def _create_service(cls, name="Consulting hour", price=150.0, **vals):
        values = {
            "name": name,
            "type": "service",
            "lst_price": price,
            "standard_price": price / 2,
            "categ_id": cls.product_category_services.id,
            "taxes_id": [Command.set(cls.vat_81.ids)],
        }
        values.update(vals)
        return cls.env["product.product"].create(values)

    @classmethod
    def _create_article(cls, name="Network switch", price=480.0, **vals):
        values = {
            "name": name,
            "type": "consu",
            "lst_price": price,
            "standard_price": price * 0.6,
            "categ_id": cls.product_category_articles.id,
            "taxes_id": [Command.set(cls.vat_81.ids)],
        }
        values.update(vals)
        return cls.env["product.product"].create(values)

    @classmethod
    def _create_offer(cls, partner, lines, **vals):
        """A quotation (``sale.order`` in draft); ``lines`` holds (product, qty) or (product, qty, price).

        Needs the ``sale`` module: only addons depending on it call this factory.
        """
        line_cmds = []
        for line in lines:
            product, qty = line[0], line[1]
            line_vals = {"product_id": product.id, "product_uom_qty": qty}
            if len(line) > 2:
                line_vals["price_unit"] = line[2]
            line_cmds.append(Command.create(line_vals))
        values = {"partner_id": partner.id, "order_line": line_cmds}
        values.update(vals)
        return cls.env["sale.order"].create(values)

    @classmethod
    def _create_invoice(cls, partner, lines, post=False, **vals):
        """A customer invoice; ``lines`` holds (product, qty, price)."""
        values = {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "currency_id": cls.env.ref("base.CHF").id,
            "invoice_line_ids": [
                Command.create({"product_id": product.id, "quantity": qty, "price_unit": price})
                for product, qty, price in lines
            ],
        }
        values.update(vals)
        move = cls.env["account.move"].create(values)
        if post:
            move.action_post()
        return move

    @classmethod
    def _create_grouping_code(cls, code="ZH", name="Zurich", type_code="REGION", **vals):
        """A grouping code (customer group) of the type ``type_code``, created when missing."""
        # configuration data: created by the superuser, returned in the test environment
        code_type = cls.env["sysengage.grouping.code.type"].search([("code", "=", type_code)], limit=1)
        if not code_type:
            code_type = (
                cls.env["sysengage.grouping.code.type"].sudo().create({"name": type_code.title(), "code": type_code})
            )
        values = {"type_id": code_type.id, "code": code, "name": name}
        values.update(vals)
        return cls.env["sysengage.grouping.code"].sudo().create(values).sudo(False)

    @classmethod
    def _create_price_rule(cls, product=None, partner=None, price=None, discount=None, **vals):
        """A price rule: for ``product`` (a product, template or category, else all articles) and ``partner``
        (a customer or a grouping code, else all customers); a fixed ``price`` or a ``discount`` %."""
        values = {"customer_scope": "all", "article_scope": "all", "currency_id": cls.env.company.currency_id.id}
        if product and product._name == "product.category":
            values.update(article_scope="category", categ_id=product.id)
        elif product:
            template = product.product_tmpl_id if product._name == "product.product" else product
            values.update(article_scope="product", product_tmpl_id=template.id)
        if partner and partner._name == "sysengage.grouping.code":
            values.update(customer_scope="group", grouping_code_id=partner.id)
        elif partner:
            values.update(customer_scope="partner", partner_id=partner.id)
        if discount is not None:
            values.update(price_type="discount", discount=discount)
        else:
            values.update(price_type="fixed", fixed_price=price or 0.0)
        values.update(vals)
        return cls.env["sysengage.price.rule"].sudo().create(values).sudo(False)

    @classmethod
    def _create_user(cls, login, groups, company=None, **kwargs):
        """A user with the least groups (xml ids, comma separated) for access tests."""
        company = company or cls.env.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            **kwargs,
        )


class SysengageCommittedCase(BaseCase):
    """Tests with real, committed transactions (crons, concurrent workers, separate commits).

    They cannot run in the usual rolled-back test transaction: each step opens its own cursor on
    ``self.registry`` and commits, like a cron worker; the test creates its data and deletes it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def _env(self, cr, context=None):
        return api.Environment(cr, api.SUPERUSER_ID, dict(context or {}))

    @staticmethod
    def _committed_sale_journal(env):
        """The main company and its sale journal."""
        company = env.ref("base.main_company")
        return company, env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")], limit=1)

    @staticmethod
    def _committed_customer(env, name, **vals):
        """A Swiss customer company (delete it in the test's cleanup)."""
        return env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "street": "Seestrasse 1",
                "zip": "6003",
                "city": "Luzern",
                "country_id": env.ref("base.ch").id,
                **vals,
            }
        )


class SysengageRpcMixin:
    """A real client against the running server of an ``HttpCase``: XML-RPC calls and web-client buttons.

    The adversarial tests of every addon call the server the way a low-privileged user's script or
    browser would (arguments as plain JSON values, the server's own access checks), never the ORM.
    """

    def _rpc(self, user, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` through XML-RPC as ``user`` (whose password is his login)."""
        self.env.flush_all()  # the server reads what the test wrote, on the same cursor
        args, kwargs = json.loads(json.dumps([list(args), kwargs]))  # as a client sends them: commands as lists
        # Odoo 19's deprecation notice of XML-RPC muted
        with mute_logger("odoo.addons.rpc.controllers.xmlrpc"):
            return self.xmlrpc_object.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, args, kwargs)

    def _assert_refused(self, message, user, model, method, *args, **kwargs):
        """The call is refused with a fault whose text contains ``message``."""
        with mute_logger("odoo.http"), self.assertRaises(Fault) as catcher:
            self._rpc(user, model, method, *args, **kwargs)
        self.assertIn(message, catcher.exception.faultString)
        return catcher.exception

    def _click(self, user, model, method, ids):
        """A button clicked in the web client (the /web/dataset/call_button route, as ``user``)."""
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_button/{model}/{method}",
            {"model": model, "method": method, "args": [ids], "kwargs": {}},
        )
