from datetime import date

from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SysengageContractsCommon


@tagged("post_install", "-at_install")
class TestContractInvoicing(SysengageContractsCommon):
    def _generate(self, contracts, day):
        return contracts._generate_invoices(day)

    def test_monthly_in_advance_catch_up(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        self.assertEqual(contract.next_invoice_date, date(2026, 1, 1))
        result = self._generate(contract, date(2026, 3, 15))
        moves = self._invoices(contract)
        self.assertEqual(len(moves), 3, "January, February and March are caught up")
        self.assertEqual(moves.mapped("invoice_date"), [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)])
        self.assertEqual(moves.mapped("sysengage_period_start"), [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)])
        self.assertEqual(
            moves.mapped("sysengage_period_end"), [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
        )
        self.assertEqual(result["moves"], moves)
        self.assertEqual(moves.mapped("amount_untaxed"), [100.0, 100.0, 100.0])
        self.assertEqual(moves.mapped("amount_tax"), [8.1, 8.1, 8.1])
        self.assertEqual(contract.next_period_start, date(2026, 4, 1))
        self.assertEqual(contract.next_invoice_date, date(2026, 4, 1))
        self.assertEqual(moves.mapped("state"), ["draft"] * 3)
        # nothing more is due on the same day: exactly once
        self.assertFalse(self._generate(contract, date(2026, 3, 15))["moves"])
        self.assertEqual(contract.invoice_count, 3)

    def test_quarterly_in_arrears_with_offset(self):
        contract = self._create_contract(
            start=date(2026, 1, 1), periodicity="quarterly", billing_mode="arrears", invoice_offset=5
        )
        self.assertEqual(contract.interval_months, 3)
        self.assertEqual(contract.next_invoice_date, date(2026, 4, 5))
        self.assertFalse(self._generate(contract, date(2026, 4, 4))["moves"])
        move = self._generate(contract, date(2026, 4, 5))["moves"]
        self.assertEqual(
            (move.sysengage_period_start, move.sysengage_period_end), (date(2026, 1, 1), date(2026, 3, 31))
        )
        self.assertEqual(move.invoice_date, date(2026, 4, 5))
        self.assertEqual(contract.next_invoice_date, date(2026, 7, 5))

    def test_semiannual_and_annual(self):
        semi = self._create_contract(start=date(2026, 8, 31), periodicity="semiannual")
        annual = self._create_contract(start=date(2024, 2, 29), periodicity="annual")
        self._generate(semi | annual, date(2027, 3, 1))
        self.assertEqual(
            [(m.sysengage_period_start, m.sysengage_period_end) for m in self._invoices(semi)],
            [(date(2026, 8, 31), date(2027, 2, 27)), (date(2027, 2, 28), date(2027, 8, 30))],
        )
        self.assertEqual(
            [(m.sysengage_period_start, m.sysengage_period_end) for m in self._invoices(annual)],
            [
                (date(2024, 2, 29), date(2025, 2, 27)),
                (date(2025, 2, 28), date(2026, 2, 27)),
                (date(2026, 2, 28), date(2027, 2, 27)),
                (date(2027, 2, 28), date(2028, 2, 28)),
            ],
        )

    def test_every_n_months(self):
        contract = self._create_contract(start=date(2026, 3, 1), periodicity="custom", interval_months=5)
        moves = self._generate(contract, date(2026, 8, 1))["moves"]
        self.assertEqual(moves.mapped("sysengage_period_end"), [date(2026, 7, 31), date(2026, 12, 31)])
        self.assertEqual(contract.mrr, 20.0)

    def test_first_period_pro_rata(self):
        contract = self._create_contract(
            lines=[(self.service, 3.0, 100.0)], start=date(2026, 3, 15), prorate_first=True
        )
        first, second = self._generate(contract, date(2026, 4, 1))["moves"].sorted("invoice_date")
        self.assertEqual(
            (first.sysengage_period_start, first.sysengage_period_end), (date(2026, 3, 15), date(2026, 3, 31))
        )
        # 3 x 100 x 17/31 = 164.516... -> unit price 54.84 (Product Price precision), 164.52 after rounding
        self.assertAlmostEqual(first.invoice_line_ids.price_unit, 54.84, places=2)
        self.assertEqual(first.amount_untaxed, 164.52)
        self.assertEqual(second.amount_untaxed, 300.0)

    def test_pro_rata_quarter_leap_year(self):
        contract = self._create_contract(
            lines=[(self.service, 1.0, 910.0)], start=date(2028, 2, 10), periodicity="quarterly", prorate_first=True
        )
        move = self._generate(contract, date(2028, 2, 10))["moves"]
        # Q1 2028 = 91 days; 10 Feb..31 Mar = 51 days -> 910 x 51 / 91 = 510.00
        self.assertEqual(
            (move.sysengage_period_start, move.sysengage_period_end), (date(2028, 2, 10), date(2028, 3, 31))
        )
        self.assertEqual(move.amount_untaxed, 510.0)

    def test_last_period_pro_rata_on_end_date(self):
        contract = self._create_contract(start=date(2026, 1, 1), date_end=date(2026, 2, 14))
        moves = self._generate(contract, date(2026, 12, 31))["moves"].sorted("invoice_date")
        self.assertEqual(len(moves), 2)
        # 14 / 28 days of February
        self.assertEqual(moves[1].amount_untaxed, 50.0)
        self.assertFalse(contract.next_invoice_date)

    def test_line_own_dates_and_markers(self):
        contract = self._create_contract(
            lines=[(self.service, 1.0, 100.0)],
            start=date(2026, 1, 1),
        )
        contract.line_ids = [
            Command.create(
                {
                    "product_id": self.support.id,
                    "name": "Support #START# to #END#",
                    "quantity": 1,
                    "price_forced": True,
                    "price_unit": 31.0,
                    "date_start": date(2026, 1, 22),
                }
            ),
            Command.create({"display_type": "line_note", "name": "Thank you"}),
        ]
        move = self._generate(contract, date(2026, 1, 1))["moves"]
        support_line = move.invoice_line_ids.filtered(lambda line: line.product_id == self.support)
        self.assertEqual(support_line.name, "Support 01/01/2026 to 01/31/2026")
        self.assertEqual(support_line.price_subtotal, 10.0, "10 days of 31 at 31.00")
        self.assertEqual(move.amount_untaxed, 110.0)
        self.assertIn("line_note", move.invoice_line_ids.mapped("display_type"))

    def test_indexation_applies_from_its_date(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        self.env["sysengage.contract.indexation"].create(
            {"contract_id": contract.id, "date": date(2026, 3, 1), "percent": 2.5, "note": "CPI"}
        )
        moves = self._generate(contract, date(2026, 3, 1))["moves"].sorted("invoice_date")
        self.assertEqual(moves.mapped("amount_untaxed"), [100.0, 100.0, 102.5])

    def test_price_from_product_when_not_fixed(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        contract.line_ids.price_forced = False
        self.service.lst_price = 120.0
        move = self._generate(contract, date(2026, 1, 1))["moves"]
        self.assertEqual(move.amount_untaxed, 120.0)

    def test_grouped_per_customer(self):
        first = self._create_contract(start=date(2026, 1, 1), group_invoices=True)
        second = self._create_contract(lines=[(self.support, 2.0, 31.0)], start=date(2026, 1, 1), group_invoices=True)
        moves = self._generate(first | second, date(2026, 2, 1))["moves"]
        self.assertEqual(len(moves), 2, "one invoice per customer and date, two months")
        january = moves.filtered(lambda m: m.invoice_date == date(2026, 1, 1))
        self.assertEqual(january.amount_untaxed, 162.0)
        self.assertFalse(january.sysengage_contract_id)
        self.assertEqual(january.invoice_line_ids.sysengage_contract_id, first | second)
        layout = [
            (line.display_type, line.sysengage_contract_id or line.name)
            for line in january.invoice_line_ids.sorted("sequence")
        ]
        self.assertEqual(
            layout,
            [
                ("line_section", first.display_name),
                ("product", first),
                ("line_section", second.display_name),
                ("product", second),
            ],
            "each contract's block: its name as a section, then its lines",
        )
        self.assertEqual(first.invoice_count, 2)
        self.assertFalse(self._generate(first | second, date(2026, 2, 1))["moves"])

    def test_auto_post_gives_qr_reference(self):
        contract = self._create_contract(start=date(2026, 1, 1), auto_post=True)
        move = self._generate(contract, date(2026, 1, 1))["moves"]
        self.assertEqual(move.state, "posted")
        self.assertTrue(move.payment_reference)

    def test_unique_constraint_blocks_second_invoice(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        move = self._generate(contract, date(2026, 1, 1))["moves"]
        # clients may not set the contract fields at all (see test_contract_security_rpc); the index
        # below is the last line of defence against server code doing so (sudo)
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            move.sudo().copy(
                {
                    "sysengage_contract_id": contract.id,
                    "sysengage_period_start": date(2026, 1, 1),
                    "invoice_date": date(2026, 1, 1),
                }
            )
        line = move.invoice_line_ids
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            self.env["account.move"].sudo().create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.service.id,
                                "price_unit": 1.0,
                                "sysengage_contract_id": contract.id,
                                "sysengage_contract_line_id": line.sysengage_contract_line_id.id,
                                "sysengage_period_start": date(2026, 1, 1),
                            }
                        )
                    ],
                }
            )
            self.env.flush_all()

    def test_regenerate_after_reset_of_next_start_is_refused(self):
        """Even if the contract forgets where it stands, the database refuses a second invoice."""
        contract = self._create_contract(start=date(2026, 1, 1))
        self._generate(contract, date(2026, 1, 1))
        contract.next_period_start = date(2026, 1, 1)
        with mute_logger("odoo.sql_db", "odoo.addons.sysengage_contracts.models.sysengage_contract"):
            result = self._generate(contract, date(2026, 1, 1))
        self.assertFalse(result["moves"])
        self.assertEqual(result["failed"], contract)
        self.assertEqual(len(self._invoices(contract)), 1)
        self.assertEqual(contract.next_period_start, date(2026, 1, 1), "the failed contract was not advanced")

    def test_cancelled_invoice_frees_the_period(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        move = self._generate(contract, date(2026, 1, 1))["moves"]
        move.button_cancel()
        contract.next_period_start = date(2026, 1, 1)
        again = self._generate(contract, date(2026, 1, 1))["moves"]
        self.assertEqual(len(again), 1)

    def test_bad_contract_skipped_others_go_on(self):
        good = self._create_contract(start=date(2026, 1, 1))
        other = self._create_customer("Lost Address AG")
        bad = self._create_contract(start=date(2026, 1, 1), partner_id=other.id)
        # the customer loses its address after the contract was made (as an import could do)
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_partner SET street = NULL WHERE id = %s", [other.id])
        self.env.invalidate_all()
        result = self._generate(good | bad, date(2026, 1, 1))
        self.assertEqual(result["failed"], bad)
        self.assertEqual(len(self._invoices(good)), 1)
        self.assertFalse(self._invoices(bad))
        self.assertFalse(bad.next_period_start)
        self.assertIn("invoice address", bad.message_ids[0].body)
        activity = bad.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, bad.user_id)
        # a second failing run does not pile activities up
        self._generate(bad, date(2026, 1, 1))
        self.assertEqual(len(bad.activity_ids), 1)

    def test_forecast(self):
        contract = self._create_contract(start=date(2026, 3, 15), prorate_first=True)
        action = contract.action_view_forecast()
        rows = self.env["sysengage.contract.forecast"].search(action["domain"])
        self.assertEqual(len(rows), 12)
        self.assertEqual(rows[0].period_start, date(2026, 3, 15))
        self.assertEqual(rows[0].amount_untaxed, 54.84)
        self.assertEqual(rows[1].amount_untaxed, 100.0)
        self.assertEqual(rows[-1].period_start, date(2027, 2, 1))
        self.assertFalse(self._invoices(contract), "a forecast invoices nothing")

    def test_generate_now_action(self):
        contract = self._create_contract(start=date(2026, 1, 1))
        with self.subTest("catch-up up to today"):
            from odoo.tests import freeze_time

            with freeze_time("2026-02-10"):
                action = contract.action_generate_invoices()
            self.assertEqual(action["res_model"], "account.move")
            self.assertEqual(len(self._invoices(contract)), 2)
            with freeze_time("2026-02-10"):
                action = contract.action_generate_invoices()
            self.assertEqual(action["tag"], "display_notification")
