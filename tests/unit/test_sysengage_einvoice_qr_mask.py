"""The QR code's mask: the same choice and the same penalties as qrcode's own, found faster."""

import random

import pytest
import qrcode
from qrcode import util
from qrcode.constants import ERROR_CORRECT_M
from sysengage_einvoice_tools import qr_mask, qr_slip

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzäöüéàèŒœ0123456789 \n/-."
PAYLOAD = (
    "SPC\n0200\n1\nCH4431999123000889012\nS\nSysengage AG\nBahnhofstrasse\n1\n8001\nZürich\nCH\n\n\n\n\n\n\n\n"
    "1234.55\nCHF\nS\nMüller Haustechnik AG\nIndustriestrasse\n12\n3000\nBern\nCH\nQRR\n"
    "210000000003139471430009017\nRechnung RE/2026/00042\nEPD\n//S1/10/RE202600042/11/260101\n"
)


def _code(payload):
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    code.add_data(payload.encode("utf-8"))
    code.best_fit()
    return code


def _payloads():
    rng = random.Random(20261203)
    # versions 1 to 25: short texts to the longest QR-bill payloads
    return [PAYLOAD] + ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 700))) for _ in range(30)]


@pytest.mark.parametrize("payload", _payloads())
def test_penalties_and_choice_are_qrcodes(payload):
    code = _code(payload)
    chosen = qr_mask.best_mask_pattern(code)
    assert chosen == code.best_mask_pattern()
    for pattern in range(8):
        code.makeImpl(True, pattern)
        modules, size = code.modules, code.modules_count
        rows, columns = qr_mask._lines(modules), qr_mask._lines(qr_mask._transpose(modules))
        assert qr_mask.penalty(rows, columns, size) == util.lost_point(modules)


@pytest.mark.parametrize("payload", _payloads())
def test_make_draws_the_symbol_qrcode_draws(payload):
    expected = _code(payload)
    expected.make(fit=False)
    code = _code(payload)
    assert qr_mask.make(code) == expected.get_matrix()
    assert code.mask_pattern == expected.best_mask_pattern()


def test_the_slip_draws_the_symbol_qrcode_draws():
    expected = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    expected.add_data(PAYLOAD.encode("utf-8"))
    expected.make(fit=True)
    assert qr_slip._qr_matrix(PAYLOAD) == expected.get_matrix()


def test_each_rule_counts():
    size = 21
    light = [0] * size
    # a light symbol: every line one run of 21 (19 points each), 2 x 2 blocks everywhere, 50 % away from half
    assert qr_mask.penalty(light, light, size) == 42 * 19 + 3 * 20 * 20 + 100
    # a checkerboard: no run, no block, no finder pattern, half dark
    board = [[(row + col) % 2 == 0 for col in range(size)] for row in range(size)]
    lines = qr_mask._lines(board)
    assert qr_mask.penalty(lines, qr_mask._lines(qr_mask._transpose(board)), size) == 0
    # a finder-like pattern with its light side, in a row and in a column: 40 points each, as qrcode counts
    matrix = [[False] * size for _ in range(size)]
    for index, dark in enumerate("10111010000"):
        matrix[3][5 + index] = matrix[5 + index][15] = dark == "1"
    rows, columns = qr_mask._lines(matrix), qr_mask._lines(qr_mask._transpose(matrix))
    assert qr_mask.penalty(rows, columns, size) == util.lost_point(matrix)
    # light on both sides: counted once for the light before it and once for the light after it
    assert len(qr_mask._FINDER.findall(format(rows[3], "021b"))) == 2
    assert len(qr_mask._FINDER.findall(format(columns[15], "021b"))) == 2
