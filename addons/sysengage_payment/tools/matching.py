"""Matching of bank credits to open invoices, on plain values (no ORM).

Keys, in order: the QR reference (QRR), the creditor reference (SCOR, ISO 11649), then the amount
together with the debtor (its IBAN among the customer's accounts, or its name). Each result says
how it matched, or why it did not, so that the review screen can show it.
"""

import re
from collections import defaultdict
from decimal import Decimal

_SPACES = re.compile(r"\s+")
_NAME_NOISE = re.compile(r"[^0-9a-z]+")


def clean_reference(reference):
    return _SPACES.sub("", reference or "").upper()


def normalize_name(name):
    """A debtor name reduced to lower-case letters and digits, to compare bank and partner names."""
    return _NAME_NOISE.sub(" ", (name or "").lower()).strip()


class OpenItems:
    """Index of open invoices. Each item is a dict with ``id``, ``reference`` (payment reference),
    ``residual`` (Decimal, in ``currency``), ``currency``, ``partner_id``, ``partner_names`` and
    ``partner_ibans``."""

    def __init__(self, items):
        self.by_reference = defaultdict(list)
        self.by_amount = defaultdict(list)
        for item in items:
            reference = clean_reference(item.get("reference"))
            if reference:
                self.by_reference[reference].append(item)
            self.by_amount[(item["currency"], Decimal(item["residual"]))].append(item)
        self.used = defaultdict(Decimal)

    def _residual(self, item):
        return Decimal(item["residual"]) - self.used[item["id"]]

    def match(self, transaction):
        """(item or None, method, outcome, detail) for one credit ``transaction`` (dict with
        ``amount``, ``currency``, ``reference_type``, ``reference``, ``counterparty_name``,
        ``counterparty_iban``). ``method``: qrr, scor, amount_partner or ''. ``outcome``: exact,
        partial, over, or the reason of no match (no_reference_match, currency, ambiguous, no_match,
        debit, already_paid)."""
        if not transaction["credit"]:
            return None, "", "debit", ""
        amount = Decimal(transaction["amount"])
        ref_type = transaction.get("reference_type")
        reference = clean_reference(transaction.get("reference"))
        if ref_type in ("QRR", "SCOR") and reference:
            method = ref_type.lower()
            candidates = self.by_reference.get(reference, [])
            if not candidates:
                return None, method, "no_reference_match", reference
            same_currency = [item for item in candidates if item["currency"] == transaction["currency"]]
            if not same_currency:
                return None, method, "currency", candidates[0]["currency"]
            open_items = [item for item in same_currency if self._residual(item) > 0]
            if not open_items:
                return same_currency[0], method, "already_paid", ""
            return self._take(open_items[0], amount, method)
        candidates = [
            item
            for item in self.by_amount.get((transaction["currency"], amount), [])
            if self._residual(item) == amount and self._same_debtor(item, transaction)
        ]
        if len(candidates) == 1:
            return self._take(candidates[0], amount, "amount_partner")
        if len(candidates) > 1:
            return None, "amount_partner", "ambiguous", str(len(candidates))
        return None, "", "no_match", ""

    @staticmethod
    def _same_debtor(item, transaction):
        iban = clean_reference(transaction.get("counterparty_iban"))
        if iban and iban in {clean_reference(value) for value in item.get("partner_ibans", ())}:
            return True
        name = normalize_name(transaction.get("counterparty_name"))
        return bool(name) and name in {normalize_name(value) for value in item.get("partner_names", ())}

    def _take(self, item, amount, method):
        residual = self._residual(item)
        self.used[item["id"]] += min(amount, residual)
        if amount == residual:
            return item, method, "exact", ""
        if amount < residual:
            return item, method, "partial", str(residual - amount)
        return item, method, "over", str(amount - residual)
