import re

from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import format_amount

from odoo.addons.sysengage_payment.tools import camt

from .common import PaymentCommon


@tagged("post_install", "-at_install")
class TestCamtImport(PaymentCommon):
    def test_batched_qrr_credits_are_split_matched_and_reconciled(self):
        first = self._post_invoice()
        second = self._post_invoice(self.other_customer)
        data = self._camt([self._qrr_tx(first, uetr="b009c997-97b3-4a9c-803c-d645a7276bf0"), self._qrr_tx(second)])
        record = self._import(data)
        self.assertEqual(record.message_type, "camt.054")
        self.assertEqual(record.version, "camt.054.001.08")
        self.assertEqual(record.journal_id, self.bank_journal)
        self.assertEqual(len(record.line_ids), 2)
        self.assertEqual(record.line_ids.mapped("batch_size"), [2, 2])
        self.assertEqual(record.line_ids.move_id, first | second)
        self.assertEqual(set(record.line_ids.mapped("match_method")), {"qrr"})
        self.assertEqual(set(record.line_ids.mapped("state")), {"to_book"})
        self.assertEqual(set(record.line_ids.mapped("match_note")), {"Pays the invoice in full."})
        # nothing is booked before the click
        self.assertEqual((first | second).mapped("payment_state"), ["not_paid", "not_paid"])
        record.action_book_matched()
        self.assertEqual(record.state, "done")
        self.assertEqual((first | second).mapped("payment_state"), ["paid", "paid"])
        # each invoice's chatter says which bank file paid it, and its Bank payments button opens the transaction
        for move, line in zip(first | second, record.line_ids, strict=True):
            self.assertEqual(move.sysengage_payment_line_count, 1)
            action = move.action_sysengage_open_payment_lines()
            self.assertEqual(self.env[action["res_model"]].search(action["domain"]), line)
            note = move.message_ids.filtered(lambda message: record.file_name in (message.body or ""))
            self.assertEqual(len(note), 1)
            self.assertIn("received in the bank file", note.body)
            self.assertIn(
                format_amount(self.env, move.amount_total, move.currency_id), str(note.body).replace("&nbsp;", "\xa0")
            )
        # the bank's collective credit is one statement line, split into one receivable line per invoice
        st_line = record.line_ids.statement_line_id
        self.assertEqual(len(st_line), 1)
        self.assertTrue(st_line.is_reconciled)
        self.assertEqual(st_line.journal_id, self.bank_journal)
        self.assertAlmostEqual(st_line.amount, first.amount_total + second.amount_total)
        counterparts = st_line.move_id.line_ids.filtered(lambda aml: aml.account_type == "asset_receivable")
        self.assertEqual(counterparts.partner_id, self.customer | self.other_customer)
        self.assertTrue(all(counterparts.mapped("reconciled")))
        # the values given to the journal items are those core account computes for the same items
        given = ("display_type", "tax_ids", "price_subtotal", "price_total")
        core_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": st_line.date,
                "amount": st_line.amount,
                "payment_ref": "core",
                "line_ids": [
                    Command.create(
                        {
                            fname: aml[fname].id if fname in ("account_id", "partner_id", "currency_id") else aml[fname]
                            for fname in (
                                "name",
                                "account_id",
                                "partner_id",
                                "currency_id",
                                "amount_currency",
                                "balance",
                            )
                        }
                    )
                    for aml in st_line.move_id.line_ids.sorted("id")
                ],
            }
        )
        self.assertEqual(
            [tuple(aml[fname] for fname in given) for aml in st_line.move_id.line_ids.sorted("id")],
            [tuple(aml[fname] for fname in given) for aml in core_line.move_id.line_ids.sorted("id")],
        )

    def test_creditor_reference_on_ordinary_iban_camt_054_v04(self):
        plain = self.env["res.partner.bank"].create(
            {"acc_number": "CH9300762011623852957", "partner_id": self.company.partner_id.id}
        )
        journal = self.env["account.journal"].create(
            {"name": "Bank IBAN", "type": "bank", "code": "BNK9", "bank_account_id": plain.id}
        )
        move = self._post_invoice(partner_bank_id=plain.id, payment_reference="RF18 5390 0754 7034")
        data = self._camt(
            [{"amount": move.amount_total, "ref_type": "SCOR", "ref": "RF18539007547034", "debtor_name": "Muster AG"}],
            version="04",
            account="CH9300762011623852957",
        )
        record = self._import(data)
        self.assertEqual(record.journal_id, journal)
        self.assertEqual(record.line_ids.match_method, "scor")
        record.action_book_matched()
        self.assertEqual(move.payment_state, "paid")

    def test_amount_and_debtor_without_reference_camt_053(self):
        move = self._post_invoice(self.other_customer)
        other = self._post_invoice()  # same amount, another customer: not taken
        self.assertEqual(move.amount_total, other.amount_total)
        for version in ("08", "04"):
            with self.subTest(version=version):
                data = self._camt(
                    [
                        {
                            "amount": move.amount_total,
                            "debtor_name": "BERNASCONI MARIA",
                            "debtor_iban": "CH5109000000250092291",
                            "message": "Rechnung",
                            "acct_svcr_ref": version,
                        }
                    ],
                    message="camt.053",
                    version=version,
                    msg_id=f"STMT-{version}",
                    batch=False,
                )
                record = self._import(data)
                self.assertEqual(record.message_type, "camt.053")
                line = record.line_ids
                if version == "08":
                    self.assertEqual(line.move_id, move)
                    self.assertEqual(line.match_method, "amount_partner")
                    line.action_book()
                    self.assertEqual(move.payment_state, "paid")
                else:
                    # the same credit again (another statement): the invoice is paid, nothing to match
                    self.assertFalse(line.move_id)
                    self.assertEqual(line.state, "unmatched")
                    self.assertIn("No reference and no open invoice", line.match_note)
        self.assertEqual(other.payment_state, "not_paid")

    def test_ambiguous_amount_is_left_for_the_user(self):
        first = self._post_invoice()
        second = self._post_invoice()
        record = self._import(self._camt([{"amount": first.amount_total, "debtor_name": "Muster AG"}], batch=False))
        line = record.line_ids
        self.assertFalse(line.move_id)
        self.assertIn("2 open invoices of this debtor have this amount", line.match_note)
        line.move_id = second
        self.assertEqual((line.state, line.match_method), ("to_book", "manual"))
        line.action_book()
        self.assertEqual(second.payment_state, "paid")
        self.assertEqual(first.payment_state, "not_paid")
        with self.assertRaisesRegex(UserError, "cannot be matched to another invoice"):
            line.move_id = first

    def test_why_is_said_in_the_language_of_who_reads_it(self):
        for lang in ("fr_FR", "de_DE"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"].search([("name", "=", "sysengage_payment")])._update_translations(
            ["fr_FR", "de_DE"]
        )
        partial = self._post_invoice()
        data = self._camt([self._qrr_tx(partial, amount=100.0), {"amount": 7.0, "debtor_name": "Nobody"}])
        # imported by a French-speaking accountant
        record = self.env["sysengage.payment.import"].with_context(lang="fr_FR")._import_file(data, file_name="b.xml")
        matched = record.line_ids.filtered("move_id")
        unmatched = record.line_ids - matched
        open_amount = f"{partial.currency_id.round(partial.amount_total - 100.0):.2f}"
        self.assertEqual(
            matched.with_context(lang="fr_FR").match_note,
            f"Paiement partiel : {open_amount} CHF restent ouverts sur la facture.",
        )
        # read by a German-speaking colleague: the same reasons, in German
        self.assertEqual(
            matched.with_context(lang="de_DE").match_note,
            f"Teilzahlung: {open_amount} CHF bleiben auf der Rechnung offen.",
        )
        self.assertEqual(
            unmatched.with_context(lang="de_DE").match_note,
            "Keine Referenz und keine offene Rechnung dieses Betrags für diesen Zahlungspflichtigen.",
        )
        self.assertEqual(
            unmatched.with_context(lang="en_US").match_note,
            "No reference and no open invoice of this amount for this debtor.",
        )

    def test_the_invoice_notes_can_be_switched_off(self):
        # a company that books large files keeps the chatter of its invoices free of the notes (faster)
        self.company.sysengage_payment_invoice_note = False
        move = self._post_invoice()
        record = self._import(self._camt([self._qrr_tx(move)], msg_id="NO-NOTE"), file_name="no_note.xml")
        messages_before = move.message_ids
        record.action_book_matched()
        self.env.invalidate_all()
        self.assertEqual(move.payment_state, "paid")
        self.assertEqual(move.message_ids, messages_before)
        # the invoice still shows the bank transaction that paid it
        self.assertEqual(move.sysengage_payment_line_count, 1)
        self.assertEqual(move.sysengage_payment_line_ids, record.line_ids)

    def test_partial_and_over_payments_stay_open_with_a_note(self):
        partial = self._post_invoice()
        over = self._post_invoice(self.other_customer)
        record = self._import(
            self._camt([self._qrr_tx(partial, amount=100.0), self._qrr_tx(over, amount=over.amount_total + 50.0)])
        )
        notes = dict(zip(record.line_ids.move_id, record.line_ids.mapped("match_note"), strict=True))
        open_amount = partial.currency_id.round(partial.amount_total - 100.0)
        self.assertEqual(notes[partial], f"Partial payment: {open_amount:.2f} CHF stays open on the invoice.")
        self.assertEqual(notes[over], "Over-payment: 50.00 CHF stays open as a credit of the customer.")
        record.action_book_matched()
        self.assertEqual(partial.payment_state, "partial")
        self.assertAlmostEqual(partial.amount_residual, open_amount)
        self.assertEqual(over.payment_state, "paid")
        # the 50.00 too much is an open credit on the customer's receivable, offered on the next invoice
        credit = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.other_customer.id),
                ("account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertEqual(credit.mapped("amount_residual"), [-50.0])
        next_invoice = self._post_invoice(self.other_customer)
        self.assertTrue(next_invoice.invoice_has_outstanding)

    def test_unknown_reference_and_debit_are_not_booked_automatically(self):
        self.company.sysengage_payment_auto_book = True
        move = self._post_invoice()
        data = self._camt(
            [
                self._qrr_tx(move),
                {"amount": 12.0, "ref_type": "QRR", "ref": "210000000003139471430009017", "debtor_name": "X"},
            ]
        )
        record = self._import(data)
        # the setting booked the matched credit at once
        self.assertEqual(move.payment_state, "paid")
        unmatched = record.line_ids.filtered(lambda line: line.state == "unmatched")
        self.assertIn("No open invoice carries the reference 210000000003139471430009017", unmatched.match_note)
        self.assertFalse(unmatched.statement_line_id)
        # booked by hand to the suspense account of the journal
        unmatched.action_book()
        self.assertEqual(unmatched.statement_line_id.amount, 12.0)
        self.assertFalse(unmatched.statement_line_id.is_reconciled)

    def test_a_file_imported_twice_books_nothing_twice(self):
        move = self._post_invoice()
        data = self._camt([self._qrr_tx(move)], msg_id="MSG-DUP")
        record = self._import(data)
        record.action_book_matched()
        st_lines = self.env["account.bank.statement.line"].search_count([("journal_id", "=", self.bank_journal.id)])
        with self.assertRaisesRegex(UserError, "was already imported on .*nothing was booked again"):
            self._import(data, file_name="again.xml")
        # the same transaction reported again in another file (the day's camt.053 after the camt.054)
        again = self._import(self._camt([self._qrr_tx(move)], msg_id="MSG-OTHER"))
        self.assertEqual(again.skipped_count, 1)
        self.assertFalse(again.line_ids)
        self.assertEqual(
            self.env["account.bank.statement.line"].search_count([("journal_id", "=", self.bank_journal.id)]),
            st_lines,
        )
        # booking a line twice does nothing
        record.line_ids._book()
        self.assertEqual(len(record.line_ids.statement_line_id), 1)

    def test_malformed_foreign_and_invalid_files_book_nothing(self):
        move = self._post_invoice()
        good = self._camt([self._qrr_tx(move)])
        bad_schema = good.replace(b"<CdtDbtInd>CRDT</CdtDbtInd>", b"<CdtDbtInd>FOOBAR</CdtDbtInd>", 1)
        foreign = b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>'
        cases = [
            (good[:-40], "is not a well-formed XML file"),
            (b"Date;Amount\n2026-11-30;10.00\n", "is not a well-formed XML file"),
            (foreign, "is not an ISO 20022 camt.053 or camt.054 file"),
            (good.replace(b"camt.054.001.08", b"camt.054.001.02"), "is not an ISO 20022 camt.053 or camt.054"),
            (bad_schema, "(?s)does not follow the ISO 20022 schema.*FOOBAR"),
        ]
        for data, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self._import(data, file_name="bank.xml")
        self.assertFalse(self.env["sysengage.payment.import"].search([]))
        self.assertEqual(move.payment_state, "not_paid")

    def test_file_for_another_account_is_refused(self):
        data = self._camt([{"amount": 5.0, "debtor_name": "X"}], account="CH5604835012345678009", batch=False)
        with self.assertRaisesRegex(UserError, "No bank journal of .* holds account CH5604835012345678009"):
            self._import(data)
        with self.assertRaisesRegex(UserError, "The file is for account CH5604835012345678009"):
            self._import(data, journal=self.bank_journal)

    def test_journal_that_is_not_a_bank_journal_is_refused(self):
        # the import screen offers bank journals only; a client may send another journal (RPC)
        move = self._post_invoice()
        sales = self.company_data["default_journal_sale"]
        data = self._camt([self._qrr_tx(move)])
        with self.assertRaisesRegex(UserError, f"{re.escape(sales.display_name)} is not a bank journal"):
            self._import(data, journal=sales)
        self.assertFalse(self.env["sysengage.payment.import"].search([]))
        self.assertEqual(move.payment_state, "not_paid")

    def test_qr_iban_reported_in_the_entry_reference_finds_the_journal(self):
        """PostFinance reports the ordinary IBAN as the account and the QR-IBAN in NtryRef."""
        move = self._post_invoice()
        record = self._import(self._camt([self._qrr_tx(move)], account="CH2909000000250094239"))
        self.assertEqual(record.journal_id, self.bank_journal)

    def test_shipped_schemas_validate_the_written_samples(self):
        for message in ("camt.054", "camt.053"):
            for version in ("04", "08"):
                with self.subTest(message=message, version=version):
                    data = self._camt(
                        [
                            {
                                "amount": 1.0,
                                "ref_type": "QRR",
                                "ref": "210000000003139471430009017",
                                "debtor_name": "Müller",
                            }
                        ],
                        message=message,
                        version=version,
                    )
                    camt.validate(etree.fromstring(data))
