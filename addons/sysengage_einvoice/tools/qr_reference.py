"""QR reference (QRR) and legacy ISR/BVR 27-digit references.

A QRR reference is 27 digits; the last one is the check digit computed with the recursive
modulo-10 algorithm of the old orange ISR slip. Legacy ISR references from migrated data are
therefore valid QRR references as they are.
"""

import re

QRR_LENGTH = 27
_MOD10_TABLE = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5)


def clean_reference(reference):
    """The reference without blanks (printed references are grouped by 5)."""
    return re.sub(r"\s+", "", reference or "")


def mod10_recursive(digits):
    """The recursive modulo-10 check digit of a string of digits (ISR/QRR algorithm)."""
    if not digits or not digits.isdigit():
        raise ValueError("the reference payload must contain digits only")
    carry = 0
    for char in digits:
        carry = _MOD10_TABLE[(carry + int(char)) % 10]
    return (10 - carry) % 10


def is_valid_qrr(reference):
    """True when ``reference`` (blanks allowed) is a 27-digit reference with a correct check digit."""
    ref = clean_reference(reference)
    if len(ref) != QRR_LENGTH or not ref.isdigit():
        return False
    return mod10_recursive(ref[:-1]) == int(ref[-1])


def qrr_error(reference):
    """A short English reason why ``reference`` is not a QRR reference, or None when it is valid."""
    ref = clean_reference(reference)
    if not ref:
        return "the reference is empty"
    if not ref.isdigit():
        return "a QR reference contains digits only"
    if len(ref) != QRR_LENGTH:
        return f"a QR reference has {QRR_LENGTH} digits, not {len(ref)}"
    if mod10_recursive(ref[:-1]) != int(ref[-1]):
        return "the check digit (27th digit) is wrong"
    return None


def make_qrr(payload):
    """A QRR reference from up to 26 digits of payload (non-digits removed, left-padded with zeros).

    When the payload is longer than 26 digits its leftmost digits are dropped, so the most
    specific (rightmost) part of a sequence number is kept.
    """
    digits = re.sub(r"\D", "", payload or "")
    digits = digits[-(QRR_LENGTH - 1) :].rjust(QRR_LENGTH - 1, "0")
    return digits + str(mod10_recursive(digits))


def format_qrr(reference):
    """The reference grouped by five from the right, as printed on the payment part."""
    ref = clean_reference(reference)
    head = len(ref) % 5
    groups = [ref[:head]] if head else []
    groups += [ref[i : i + 5] for i in range(head, len(ref), 5)]
    return " ".join(groups)
