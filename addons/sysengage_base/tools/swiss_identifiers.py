"""Swiss enterprise identification numbers: the UID (``CHE-123.456.789``) and the VAT number built on it
(``CHE-123.456.789 MWST``, ``TVA``, ``IVA`` or ``TPV``).

The rule is stated here rather than left to a library, so that it does not change with the release
installed: a UID is the letters ``CHE`` followed by nine digits, the last of which is a modulus-11
check digit over the first eight (weights 5, 4, 3, 2, 7, 6, 5, 4; 11 becomes 0, 10 never occurs).
Bare digits without the ``CHE`` prefix are not a UID: people write them by mistake for a UID, and
the prefix is what the register (and the QR-bill, the VAT return) print.
"""

import re

UID_PREFIX = "CHE"
UID_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4)
VAT_SUFFIXES = ("MWST", "TVA", "IVA", "TPV")


class IdentifierError(ValueError):
    """An invalid number; ``code`` tells why: ``length``, ``format``, ``checksum`` or ``component``."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def compact(value):
    """The number without spaces, dots, dashes and slashes, in capitals."""
    return re.sub(r"[\s.\-/]", "", str(value or "")).upper()


def uid_check_digit(digits):
    """The check digit of the first eight digits of a UID, or ``None`` where no number can have them."""
    remainder = sum(weight * int(digit) for weight, digit in zip(UID_WEIGHTS, digits, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def validate_uid(value):
    """``CHE123456789`` for a valid UID, else raise :class:`IdentifierError`."""
    number = compact(value)
    if not number.startswith(UID_PREFIX):
        raise IdentifierError("component")
    digits = number[len(UID_PREFIX) :]
    if not digits.isdigit():
        raise IdentifierError("format")
    if len(digits) != 9:
        raise IdentifierError("length")
    if uid_check_digit(digits[:8]) != int(digits[8]):
        raise IdentifierError("checksum")
    return number


def split_vat(value):
    """``(uid part, suffix)`` of a VAT number written in any common way, without validating it."""
    number = compact(value)
    for suffix in VAT_SUFFIXES:
        if number.endswith(suffix):
            return number[: -len(suffix)], suffix
    return number, ""


def validate_vat(value):
    """``CHE123456789MWST`` for a valid Swiss VAT number, else raise :class:`IdentifierError`."""
    uid_part, suffix = split_vat(value)
    uid = validate_uid(uid_part)
    if not suffix:
        raise IdentifierError("component")
    return uid + suffix


def format_uid(value):
    """``CHE-123.456.789`` (raises :class:`IdentifierError` when invalid)."""
    digits = validate_uid(value)[len(UID_PREFIX) :]
    return f"{UID_PREFIX}-{digits[0:3]}.{digits[3:6]}.{digits[6:9]}"


def format_vat(value):
    """``CHE-123.456.789 MWST`` (raises :class:`IdentifierError` when invalid)."""
    number = validate_vat(value)
    uid_part, suffix = split_vat(number)
    return f"{format_uid(uid_part)} {suffix}"


def is_valid_uid(value):
    try:
        validate_uid(value)
    except IdentifierError:
        return False
    return True


def is_valid_vat(value):
    try:
        validate_vat(value)
    except IdentifierError:
        return False
    return True
