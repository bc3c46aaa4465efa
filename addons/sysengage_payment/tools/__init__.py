"""Plain-Python standards code of sysengage_payment (no ORM import).

- :mod:`.camt`: ISO 20022 camt.053 / camt.054 (.001.04 and .001.08): detection, schema check, parsing.
- :mod:`.matching`: bank credits matched to open invoices by QRR, SCOR, then amount and debtor.
"""
