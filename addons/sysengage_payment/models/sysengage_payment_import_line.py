from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount

from odoo.addons.sysengage_base.models.account_move_line import MOVE_BATCH_TOKEN, check_company_once

from ..tools.matching import OpenItems, clean_reference

# Set only by the server's own import, match and booking code: what the bank said and what was booked cannot
# be written through the ORM/RPC by a user (a context key could be sent by any client, this cannot).
_INTERNAL = ContextVar("sysengage_payment_internal", default=False)


@contextmanager
def internal_write():
    token = _INTERNAL.set(True)
    try:
        yield
    finally:
        _INTERNAL.reset(token)


def check_internal(env):
    if not _INTERNAL.get():
        raise UserError(env._("Bank transactions come from imported bank files only; they cannot be written by hand."))


# transactions created or booked per chunk (a chunk books whole bank entries)
CHUNK_SIZE = 1000

MATCH_METHODS = [
    ("qrr", "QR reference"),
    ("scor", "Creditor reference (RF)"),
    ("amount_partner", "Amount and debtor"),
    ("manual", "Chosen by hand"),
]


class SysengagePaymentImportLine(models.Model):
    """One transaction of an imported bank file (one TxDtls of a batch), its match and its booking."""

    _name = "sysengage.payment.import.line"
    _description = "Bank file transaction"
    _order = "import_id desc, id"
    _check_company_auto = True
    _rec_name = "reference"

    import_id = fields.Many2one("sysengage.payment.import", required=True, ondelete="cascade", index=True)
    # the file's, given by the import when it creates its lines (a file's company and journal never change, see
    # its write): stored as given, not computed again for each of thousands of lines
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    journal_id = fields.Many2one("account.journal", string="Bank journal", required=True, readonly=True)
    transaction_key = fields.Char(required=True, readonly=True, help="Identity of the transaction at the bank.")
    date = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(required=True, readonly=True, help="Positive for a credit, negative for a debit.")
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    currency_code = fields.Char(string="Currency in the file", readonly=True)
    reference_type = fields.Selection([("qrr", "QRR"), ("scor", "SCOR")], readonly=True)
    reference = fields.Char(readonly=True)
    counterparty_name = fields.Char(string="Debtor", readonly=True)
    counterparty_iban = fields.Char(string="Debtor account", readonly=True)
    message = fields.Char(readonly=True)
    entry_ref = fields.Char(string="Bank entry", readonly=True)
    batch_size = fields.Integer(string="Batch of", readonly=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        index="btree_not_null",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial')), ('currency_id', '=', currency_id)]",
    )
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer")
    match_method = fields.Selection(MATCH_METHODS, readonly=True)
    # why the line is matched or not: what the matching found, stored; said in the language of who reads it
    match_outcome = fields.Char(string="Outcome", readonly=True)
    match_detail = fields.Char(string="Outcome detail", readonly=True)
    match_difference = fields.Monetary(
        string="Difference",
        readonly=True,
        help="Amount of the transaction less the open amount of its invoice when it was matched.",
    )
    match_note = fields.Char(string="Why", compute="_compute_match_note")
    state = fields.Selection(
        [("to_book", "Matched, to book"), ("unmatched", "Not matched"), ("booked", "Booked")],
        required=True,
        default="unmatched",
        readonly=True,
        index=True,
    )
    statement_line_id = fields.Many2one("account.bank.statement.line", readonly=True, check_company=True)
    # set while the booked transaction waits for its reconciliation (see :meth:`_reconcile_booked`)
    reconcile_line_id = fields.Many2one(
        "account.move.line",
        string="Journal item to reconcile",
        readonly=True,
        index="btree_not_null",
        check_company=True,
        help="The journal item of the booked statement line that the background job still has to reconcile with "
        "the invoice.",
    )

    _transaction_unique = models.Constraint(
        "UNIQUE(company_id, transaction_key)", "This bank transaction has already been imported."
    )

    @api.constrains("move_id")
    def _check_move_id(self):
        for line in self:
            move = line.move_id
            if move and (move.move_type != "out_invoice" or move.state != "posted"):
                raise ValidationError(self.env._("%(move)s is not a posted customer invoice.", move=move.display_name))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        check_internal(self.env)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - {"move_id"}:
            check_internal(self.env)
        if "move_id" in vals and any(line.state == "booked" for line in self):
            raise UserError(self.env._("A booked bank transaction cannot be matched to another invoice."))
        result = super().write(vals)
        if "move_id" in vals and not _INTERNAL.get():
            for line in self:
                line._set_manual_match()
        return result

    def _check_company(self, fnames=None):
        # Override: Odoo's check, with one domain filter per field and company for all the transactions of a batch
        # (a file creates thousands at once)
        return check_company_once(self, fnames, lambda lines, names: super()._check_company(names))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_booked(self):
        if any(line.state == "booked" for line in self):
            raise UserError(self.env._("A booked bank transaction cannot be deleted."))

    def _sysengage_write(self, vals):
        with internal_write():
            return self.write(vals)

    def _set_manual_match(self):
        self.ensure_one()
        vals = {"match_method": "manual" if self.move_id else False}
        if self.move_id:
            vals.update(
                state="to_book", **self._amount_outcome(self.amount, self.move_id.amount_residual, self.currency_id)
            )
        else:
            vals.update(state="unmatched", **self._outcome("no_invoice"))
        self._sysengage_write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_book(self):
        """Book the transaction: reconcile it with its invoice when matched, else book it to the suspense
        account of the bank journal for a later manual reconciliation."""
        self._book(allow_unmatched=True)
        return True

    def action_open_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_rematch(self):
        self.filtered(lambda line: line.state != "booked")._sysengage_match()
        return True

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------
    @api.model
    def _open_items_domain(self, company, currencies):
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("currency_id", "in", currencies.ids),
        ]

    @api.model
    def _open_items(self, transactions, company):
        """The open invoices that ``transactions`` (see :meth:`_match_values`) can pay, read with one
        query per matching key for all the transactions: their references (QRR, SCOR: compared without spaces,
        as the bank sends them), then the amounts of the credits without reference."""
        currencies = self.env["res.currency"].union(*(tx["currency"] for tx in transactions))
        domain = self._open_items_domain(company, currencies)
        fnames = ["payment_reference", "amount_residual", "currency_id", "commercial_partner_id"]
        references = {
            clean_reference(tx["reference"]) for tx in transactions if tx["reference_type"] in ("QRR", "SCOR")
        } - {""}
        moves = self.env["account.move"]
        if references:
            ids = [
                row[0]
                for row in self.env.execute_query(
                    SQL(
                        "SELECT id FROM account_move WHERE company_id = %s AND move_type = 'out_invoice' "
                        "AND state = 'posted' AND payment_reference IS NOT NULL "
                        "AND upper(regexp_replace(payment_reference, '\\s', '', 'g')) IN %s",
                        company.id,
                        tuple(references),
                        # invoices posted in this transaction (their reference is given when posted) are found too
                        to_flush=[
                            moves._fields[name] for name in ("company_id", "move_type", "state", "payment_reference")
                        ],
                    )
                )
            ]
            if ids:
                moves |= moves.search_fetch([*domain, ("id", "in", ids)], fnames)
        amounts = {
            float(tx["amount"]) for tx in transactions if tx["credit"] and tx["reference_type"] not in ("QRR", "SCOR")
        }
        if amounts:
            moves |= moves.search_fetch([*domain, ("amount_residual", "in", sorted(amounts))], fnames)
        partners = moves.commercial_partner_id
        ibans = defaultdict(set)
        if partners:
            for bank in self.env["res.partner.bank"].search_fetch(
                [("partner_id", "child_of", partners.ids)], ["sanitized_acc_number", "partner_id"]
            ):
                ibans[bank.partner_id.commercial_partner_id.id].add(bank.sanitized_acc_number)
        items = []
        for move in moves:
            partner = move.commercial_partner_id
            items.append(
                {
                    "id": move.id,
                    "reference": move.payment_reference,
                    "residual": Decimal(str(move.currency_id.round(move.amount_residual))),
                    "currency": move.currency_id.name,
                    "partner_id": partner.id,
                    "partner_names": (partner.name,),
                    "partner_ibans": ibans[partner.id],
                }
            )
        return items

    @api.model
    def _match_input(self, amount, currency, reference_type, reference, counterparty_name, counterparty_iban):
        """One transaction as the matching reads it (``amount`` signed, positive for a credit)."""
        return {
            "credit": currency.compare_amounts(amount, 0) > 0,
            "amount": Decimal(str(currency.round(abs(amount)))),
            "signed_amount": amount,
            "currency": currency,
            "currency_code": currency.name,
            "reference_type": (reference_type or "").upper(),
            "reference": reference or "",
            "counterparty_name": counterparty_name,
            "counterparty_iban": counterparty_iban,
        }

    @api.model
    def _match_values(self, transactions, company, journal):
        """Match ``transactions`` (from :meth:`_match_input`) of one bank journal to open invoices (QRR,
        then SCOR, then amount and debtor): a list of the values to write on each line, saying why not."""
        journal_currency = journal.currency_id or company.currency_id
        index = OpenItems(self._open_items(transactions, company))
        move_model = self.env["account.move"]
        results = []
        for tx in transactions:
            if tx["currency"] != journal_currency:
                results.append(
                    {
                        "move_id": False,
                        "match_method": False,
                        "state": "unmatched",
                        **self._outcome("journal_currency"),
                    }
                )
                continue
            item, method, outcome, detail = index.match(dict(tx, currency=tx["currency_code"]))
            move = move_model.browse(item["id"]) if item and outcome != "already_paid" else move_model
            results.append(
                {
                    "move_id": move.id,
                    "match_method": method if move else False,
                    "state": "to_book" if move else "unmatched",
                    **(
                        self._amount_outcome(tx["signed_amount"], move.amount_residual, tx["currency"])
                        if move
                        else self._outcome(outcome, detail)
                    ),
                }
            )
        return results

    def _sysengage_match(self):
        """Match the lines to open invoices (QRR, then SCOR, then amount and debtor) and say why not."""
        lines = self.filtered(lambda line: line.state != "booked")
        groups = defaultdict(lambda: self.browse())
        for line in lines:
            groups[line.journal_id] |= line
        for journal, group in groups.items():
            transactions = [
                self._match_input(
                    line.amount,
                    line.currency_id,
                    line.reference_type,
                    line.reference,
                    line.counterparty_name,
                    line.counterparty_iban,
                )
                for line in group
            ]
            for line, vals in zip(group, self._match_values(transactions, journal.company_id, journal), strict=True):
                line._sysengage_write(vals)

    @api.model
    def _outcome(self, outcome, detail=None, difference=0.0):
        """The values that keep why a line is matched or not (see :meth:`_compute_match_note`)."""
        return {
            "match_outcome": outcome,
            "match_detail": str(detail) if detail else False,
            "match_difference": difference,
        }

    @api.model
    def _amount_outcome(self, amount, residual, currency):
        """The outcome of a transaction of ``amount`` matched to an invoice with ``residual`` open."""
        difference = currency.round(amount - residual)
        if currency.is_zero(difference):
            return self._outcome("full")
        return self._outcome("partial" if difference < 0 else "over", difference=difference)

    @api.depends("match_outcome", "match_detail", "match_difference", "currency_id")
    @api.depends_context("lang")
    def _compute_match_note(self):
        for line in self:
            line.match_note = line._match_note_text()

    def _match_note_text(self):
        """Why this line is matched or not, in the language of the user who reads it."""
        self.ensure_one()
        outcome, detail, currency = self.match_outcome, self.match_detail, self.currency_id
        if outcome == "full":
            return self.env._("Pays the invoice in full.")
        if outcome == "partial":
            return self.env._(
                "Partial payment: %(open)s %(currency)s stays open on the invoice.",
                open=f"{-self.match_difference:.2f}",
                currency=currency.name,
            )
        if outcome == "over":
            return self.env._(
                "Over-payment: %(excess)s %(currency)s stays open as a credit of the customer.",
                excess=f"{self.match_difference:.2f}",
                currency=currency.name,
            )
        notes = {
            "debit": lambda: self.env._("A debit: book it to the suspense account or match it by hand."),
            "no_reference_match": lambda: self.env._(
                "No open invoice carries the reference %(reference)s.", reference=detail
            ),
            "currency": lambda: self.env._("The invoice with this reference is in %(currency)s.", currency=detail),
            "already_paid": lambda: self.env._("The invoice with this reference is already paid."),
            "ambiguous": lambda: self.env._(
                "%(count)s open invoices of this debtor have this amount: choose the invoice.", count=detail
            ),
            "no_match": lambda: self.env._("No reference and no open invoice of this amount for this debtor."),
            "no_invoice": lambda: self.env._("No invoice chosen."),
            "journal_currency": lambda: self.env._("The transaction is not in the currency of the bank journal."),
            "paid_meanwhile": lambda: self.env._(
                "The invoice was paid by another payment before this one was reconciled: the amount stays open as "
                "a credit of the customer."
            ),
        }
        note = notes.get(outcome)
        return note() if note else outcome or False

    # ------------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------------
    def _book(self, allow_unmatched=False, reconcile=True):
        """Create the bank statement lines of these transactions (core account) and reconcile each matched one
        with the receivable of its invoice; partial and over-payments leave the rest open. With ``reconcile``
        false, the matched transactions are left to :meth:`_reconcile_booked` (the background job reconciles them
        in another transaction, see ``sysengage.payment.import._cron_book_queued``)."""
        lines = self.filtered(lambda line: line.state != "booked")
        if not allow_unmatched:
            lines = lines.filtered("move_id")
        if not lines:
            return self.env["account.bank.statement.line"]
        if any(line.move_id and line.move_id.payment_state not in ("not_paid", "partial") for line in lines):
            paid = lines.filtered(lambda line: line.move_id.payment_state not in ("not_paid", "partial", False))
            raise UserError(
                self.env._(
                    "%(invoices)s is already paid: choose another invoice or book without one.",
                    invoices=", ".join(paid.move_id.mapped("display_name")),
                )
            )
        # one statement line per bank entry (what the bank booked on the account, a batch of QR payments is one
        # collective credit), with one receivable counterpart per matched transaction: the batch stays split in
        # the accounting while the bank journal shows the bank's own bookings
        groups = defaultdict(lambda: self.browse())
        for line in lines:
            groups[line._entry_key()] |= line
        # booked in chunks of whole bank entries (a file of 10,000 credits books in bounded memory): each chunk is
        # written to the database and dropped from the cache before the next one
        st_lines = self.env["account.bank.statement.line"]
        chunk = []
        for group in groups.values():
            chunk.append(group)
            if sum(map(len, chunk)) >= CHUNK_SIZE:
                st_lines |= self._book_entries(chunk, reconcile=reconcile)
                chunk = []
        if chunk:
            st_lines |= self._book_entries(chunk, reconcile=reconcile)
        return st_lines

    def _entry_key(self):
        """The bank entry this transaction is booked in (one statement line per entry, see :meth:`_book`)."""
        self.ensure_one()
        return self._entry_key_of(self.id, self.import_id.id, self.entry_ref, self.date)

    @api.model
    def _entry_key_of(self, line_id, import_id, entry_ref, date):
        """The bank entry of the transaction ``line_id`` of the file ``import_id``: the transactions of the file with
        its entry reference and date, or the transaction alone when the bank gave none (the background job cuts a
        file into chunks of whole entries with the same key, from the database's rows)."""
        if not entry_ref:
            return ("transaction", line_id)
        return ("entry", import_id, entry_ref, fields.Date.to_date(date))

    @api.model
    def _book_entries(self, groups, reconcile=True):
        """Book ``groups`` (the transactions of one bank entry each): their statement lines with the receivable
        counterparts, reconciled with the invoices (at once, or by :meth:`_reconcile_booked` later when
        ``reconcile`` is false); then flushed and dropped from the cache."""
        st_vals = [group._prepare_statement_line_vals() for group in groups]
        companies = self.env["res.company"].union(*(group.company_id for group in groups))
        if not self.env["account.analytic.distribution.model"].search_count(
            [("company_id", "in", [*companies.ids, False])], limit=1
        ):
            # no analytic distribution model can apply: the journal items get none, as core account would compute
            # (core looks the models up once per journal item)
            for vals in st_vals:
                for command in vals["line_ids"]:
                    command[2]["analytic_distribution"] = False
        # all statement lines in one batch, each created with its counterparts (core account creates the suspense
        # line only when no journal items are given): the entries are complete before they are posted, and the
        # statement line only has to be read back from them (no synchronisation). New draft journal items have no
        # analytic items to rewrite (skip_analytic_sync: core's inverse of account_id would only write the same
        # distribution back, line by line). The import is the trace of these entries: no creation message on each
        # (tracking_disable, as core's batch imports)
        st_lines = (
            self.env["account.bank.statement.line"]
            .with_context(
                skip_account_move_synchronization=True,
                skip_analytic_sync=True,
                tracking_disable=True,
                # a batch of the suite: the company check once per distinct company and value (accounts, partners,
                # journal), the subtotal and total given to the items kept
                sysengage_move_batch=MOVE_BATCH_TOKEN,
            )
            .create(st_vals)
            .with_env(self.env)
        )
        for group, st_line in zip(groups, st_lines, strict=True):
            group._sysengage_write({"statement_line_id": st_line.id, "state": "booked"})
            # the journal items were created in the order of the commands: liquidity, then one counterpart per
            # matched transaction, in the order of the transactions
            matched = group.filtered("move_id")
            counterparts = st_line.move_id.line_ids.sorted("id")[1 : 1 + len(matched)]
            for line, counterpart in zip(matched, counterparts, strict=True):
                line._sysengage_write({"reconcile_line_id": counterpart.id})
        if reconcile:
            self.browse().union(*groups)._reconcile_booked()
        self.env.flush_all()
        self.env.invalidate_all()
        return st_lines

    def _reconcile_booked(self):
        """Reconcile the booked transactions that wait for it with the receivable of their invoice (core account's
        reconciliation: partial and over-payments leave the rest open). An invoice paid by another payment since
        the booking is left as it is: the transaction's amount stays open as a credit of the customer, and the
        transaction says so."""
        lines = self.filtered("reconcile_line_id")
        plan = []
        reconciled = self.browse()
        paid_meanwhile = self.browse()
        for line in lines:
            counterpart = line.reconcile_line_id
            if counterpart.reconciled:
                continue  # reconciled by hand meanwhile
            receivable = line._open_receivable()
            if not receivable:
                paid_meanwhile |= line
                continue
            plan.append(counterpart + receivable)
            reconciled |= line
        if plan:
            # reconciling changes no amount, tax or term of the invoices: their dynamic lines have nothing to
            # synchronise (skip_invoice_sync, as core's own payment and cash-basis moves); core still checks that
            # every entry stays balanced
            self.env["account.move.line"].with_context(skip_invoice_sync=True, tracking_disable=True)._reconcile_plan(
                plan
            )
            reconciled._log_payment_on_invoices()
        if paid_meanwhile:
            paid_meanwhile._sysengage_write(self._outcome("paid_meanwhile"))
        lines._sysengage_write({"reconcile_line_id": False})
        return reconciled

    def _open_receivable(self):
        """The receivable items of this transaction's invoice still open (what its payment is reconciled with), read
        through the invoice's items (prefetched for the whole batch: a search of the open items instead measured
        about 10 s of CPU more on 10,000 credits)."""
        self.ensure_one()
        return self.move_id.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
        )

    def _log_payment_on_invoices(self):
        """Say in each paid invoice's chatter which bank file paid it and how much, when its company keeps these
        notes (``sysengage_payment_invoice_note``): one batch of notes (core's payment status tracking is off during
        the booking, it costs a message per invoice and field)."""
        bodies = defaultdict(list)
        for line in self.filtered(lambda line: line.move_id and line.company_id.sysengage_payment_invoice_note):
            bodies[line.move_id.id].append(
                self.env._(
                    "Payment of %(amount)s received in the bank file %(file)s and reconciled.",
                    amount=format_amount(self.env, line.amount, line.currency_id),
                    file=line.import_id.file_name or line.import_id.name,
                )
            )
        if bodies:
            # the booking user may reconcile these invoices (checked by core account above): the notes are
            # written in one batch, as core's own batch logs
            self.env["account.move"].browse(list(bodies))._message_log_batch(
                bodies={move_id: Markup("<br/>").join(texts) for move_id, texts in bodies.items()}
            )

    @api.model
    def _journal_item_command(self, name, account, partner, currency, amount_currency, balance):
        """The creation command of one journal item of a statement line. The values core account computes for a
        journal item of a bank entry without taxes are given (a line of an entry, no taxes, its amount as subtotal
        and total): not computed again through the tax engine for each of thousands of items."""
        return fields.Command.create(
            {
                "name": name,
                "account_id": account.id,
                "partner_id": partner.id,
                "currency_id": currency.id,
                "amount_currency": amount_currency,
                "balance": balance,
                "display_type": "product",
                "tax_ids": [fields.Command.clear()],
                "price_subtotal": amount_currency,
                "price_total": amount_currency,
            }
        )

    def _prepare_statement_line_vals(self):
        """The values of the statement line of these transactions (one bank entry): the liquidity line of the
        whole entry, one receivable counterpart per matched transaction and, for what is not matched, the suspense
        line."""
        first = self[:1]
        journal = first.journal_id
        company = journal.company_id
        company_currency = company.currency_id
        currency = journal.currency_id or company_currency
        amount = currency.round(sum(self.mapped("amount")))
        if currency == company_currency:
            company_amount = amount
        else:
            company_amount = currency._convert(amount, company_currency, company, first.date)
        single = len(self) == 1
        partners = self.move_id.commercial_partner_id
        partner = partners if len(partners) == 1 and single else self.env["res.partner"]
        payment_ref = (
            (first.reference or first.message or first.counterparty_name or first.entry_ref or "/")
            if single
            else f"{first.import_id.name} {first.entry_ref or ''}".strip()
        )
        commands = [
            self._journal_item_command(
                payment_ref, journal.default_account_id, partner, currency, amount, company_amount
            )
        ]
        balance_left = -company_amount
        matched = self.filtered("move_id")
        for line in matched:
            receivable = line._open_receivable()
            # in a foreign-currency journal, at the rate of the whole entry (as core account does)
            balance = (
                -line.amount
                if currency == company_currency
                else company_currency.round(-line.amount * company_amount / amount)
            )
            balance_left = company_currency.round(balance_left - balance)
            commands.append(
                self._journal_item_command(
                    line.reference or line.message or payment_ref,
                    receivable[:1].account_id,
                    line.move_id.commercial_partner_id,
                    currency,
                    -line.amount,
                    balance,
                )
            )
        unmatched_amount = currency.round(sum((self - matched).mapped("amount")))
        if not currency.is_zero(unmatched_amount) or not matched:
            if not journal.suspense_account_id:
                raise UserError(
                    self.env._("Set a suspense account on the bank journal %(journal)s.", journal=journal.display_name)
                )
            commands.append(
                self._journal_item_command(
                    payment_ref, journal.suspense_account_id, partner, currency, -unmatched_amount, balance_left
                )
            )
        else:
            # all matched: the last counterpart takes any rounding of the rate
            commands[-1][2]["balance"] = company_currency.round(commands[-1][2]["balance"] + balance_left)
        vals = {
            "journal_id": journal.id,
            "date": first.date,
            "amount": amount,
            "payment_ref": payment_ref,
            "partner_id": partner.id,
            "partner_name": first.counterparty_name or False if single else False,
            "account_number": first.counterparty_iban or False if single else False,
            "line_ids": commands,
        }
        return vals
