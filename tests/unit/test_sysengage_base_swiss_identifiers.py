"""The Swiss UID/VAT rule of ``sysengage_base/tools/swiss_identifiers.py``.

The rule is the suite's own: these cases hold whatever python-stdnum release is installed (stdnum 2.x
accepts bare digits as a UID, 1.x refused them; the suite refuses them on every release).
"""

import pytest
from stdnum.ch import uid as stdnum_uid
from sysengage_base_tools import swiss_identifiers as si

# UIDs of the register with their check digit (the Federal Statistical Office's published examples)
VALID_UIDS = ["CHE-116.281.710", "CHE-105.805.081", "CHE-109.322.551", "che116281710", "CHE 116 281 710"]


@pytest.mark.parametrize("value", VALID_UIDS)
def test_valid_uids(value):
    assert si.is_valid_uid(value)
    assert si.format_uid(value).startswith("CHE-")
    assert len(si.format_uid(value)) == len("CHE-123.456.789")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("CHE-116.281.711", "checksum"),
        ("CHE-116.281", "length"),
        ("CHE-116.281.7100", "length"),
        ("CHE-11A.281.710", "format"),
        ("116281710", "component"),  # bare digits: not a UID, whatever a library thinks
        ("116.281.710", "component"),
        ("CH-020.3.012.345-6", "component"),  # former commercial register number
        ("", "component"),
    ],
)
def test_invalid_uids(value, code):
    with pytest.raises(si.IdentifierError) as info:
        si.validate_uid(value)
    assert info.value.code == code


def test_check_digit_ten_never_valid():
    # 10 as a remainder gives no check digit: every ending of such a stem is refused
    stem = next(f"{n:08d}" for n in range(10**7, 10**8) if si.uid_check_digit(f"{n:08d}") is None)
    for last in range(10):
        assert not si.is_valid_uid(f"CHE{stem}{last}")


@pytest.mark.parametrize(
    ("value", "formatted"),
    [
        ("CHE116281710MWST", "CHE-116.281.710 MWST"),
        ("che-116.281.710 tva", "CHE-116.281.710 TVA"),
        ("CHE-116.281.710 IVA", "CHE-116.281.710 IVA"),
        ("CHE-116.281.710 TPV", "CHE-116.281.710 TPV"),
    ],
)
def test_vat_numbers(value, formatted):
    assert si.format_vat(value) == formatted


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("CHE-116.281.710 XYZ", "format"),
        ("CHE-116.281.710", "component"),
        ("CHE-116.281.711 MWST", "checksum"),
        ("116281710 MWST", "component"),
    ],
)
def test_invalid_vat_numbers(value, code):
    with pytest.raises(si.IdentifierError) as info:
        si.validate_vat(value)
    assert info.value.code == code


def test_agrees_with_stdnum_on_prefixed_numbers():
    """On numbers written with their prefix, the rule and python-stdnum (any allowed release) agree."""
    for n in range(11628170, 11628170 + 400):
        for last in range(10):
            number = f"CHE{n}{last}"
            assert si.is_valid_uid(number) == stdnum_uid.is_valid(number), number
