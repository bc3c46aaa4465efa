"""The mask of a QR code, chosen as ISO/IEC 18004 asks (the lowest penalty of the eight) without
drawing the symbol eight times (plain Python, qrcode).

qrcode's own choice (``QRCode.best_mask_pattern``) places the data and scores every module in Python
for each mask: about 16 ms for the code of a QR-bill. Here the symbol is drawn once; each mask is then
applied to its rows and columns held as integers (one bit per module) and the four penalty rules are
counted with bit operations and regular expressions over these lines, the same rules with the same
weights as qrcode's ``util.lost_point``: the same mask is chosen, the same symbol drawn. The symbol
with the chosen mask is then taken from the lines scored (:func:`make`) instead of placing the data
again as ``QRCode.make`` would.
"""

import re

from qrcode import util
from qrcode.main import copy_2d_array, precomputed_qr_blanks

# rule 1: five or more modules of one colour in a line, 3 + (length - 5) points
_RUN = re.compile(r"0{5,}|1{5,}")
# rule 3: the 1:1:3:1:1 finder-like pattern with four light modules before or after it, 40 points
_FINDER = re.compile(r"(?=10111010000|00001011101)")


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _lines(matrix):
    """The rows of ``matrix`` (booleans) as integers, column 0 in the highest bit."""
    return [int(bytes(row).translate(_DIGITS), 2) for row in matrix]


def _transpose(matrix):
    return [list(column) for column in zip(*matrix, strict=True)]


def penalty(rows, columns, size):
    """The penalty of a symbol given by its ``rows`` and ``columns`` (integers, see :func:`_lines`)."""
    pattern = f"0{size}b"
    # every line in one text, each after a separator that no pattern holds: nothing spans two lines
    text = "".join("|" + format(line, pattern) for line in rows + columns)
    score = sum(len(run) - 2 for run in _RUN.findall(text)) + 40 * len(_FINDER.findall(text))
    # rule 2: each 2 x 2 block of one colour, 3 points
    full = (1 << size) - 1
    pairs = (1 << (size - 1)) - 1  # a bit per column but the first: the block of this column and the one before
    for upper, lower in zip(rows, rows[1:], strict=False):
        same = ~(upper ^ lower) & full
        score += 3 * (same & (same >> 1) & ~(upper ^ (upper >> 1)) & pairs).bit_count()
    # rule 4: 10 points per 5 % of dark modules away from half
    dark = sum(row.bit_count() for row in rows)
    score += int(abs(float(dark) / (size**2) * 100 - 50) / 5) * 10
    return score


def _mask_lines(pattern, size):
    """Rows and columns of the modules that mask ``pattern`` inverts (over the whole symbol)."""
    invert = util.mask_func(pattern)
    matrix = [[invert(row, col) for col in range(size)] for row in range(size)]
    return _lines(matrix), _lines(_transpose(matrix))


_MASKS = {}  # (pattern, size): its lines, the same for every symbol of that size


def _scores(code):
    """Place ``code``'s data once (mask 0) and score the eight masks: ``(scores, symbol, cells)`` where
    ``scores`` are ``(penalty, pattern)`` pairs, ``symbol`` the rows and columns of the mask 0 symbol and
    ``cells`` those of the modules that hold data."""
    code.makeImpl(True, 0)  # the symbol with mask 0; format and version areas light, as qrcode scores it
    size = code.modules_count
    masked = code.modules
    # the modules that hold data (and remainder bits): those the function patterns leave empty
    code.modules = copy_2d_array(precomputed_qr_blanks[code.version])
    code.setup_type_info(True, 0)
    if code.version >= 7:
        code.setup_type_number(True)
    data = [[module is None for module in row] for row in code.modules]
    code.modules = masked
    symbol = (_lines(masked), _lines(_transpose(masked)))  # rows, columns
    cells = (_lines(data), _lines(_transpose(data)))
    for pattern in range(8):
        if (pattern, size) not in _MASKS:
            _MASKS[pattern, size] = _mask_lines(pattern, size)
    scores = []
    for pattern in range(8):
        rows, columns = (_masked_lines(symbol[i], cells[i], pattern, size, i) for i in (0, 1))
        scores.append((penalty(rows, columns, size), pattern))
    return scores, symbol, cells


def _masked_lines(lines, cells, pattern, size, axis):
    """``lines`` (of the mask 0 symbol) with mask ``pattern`` instead: the data modules flip where mask 0
    and this mask differ; the others stay. ``axis`` 0 for rows, 1 for columns."""
    zero, other = _MASKS[0, size][axis], _MASKS[pattern, size][axis]
    return [line ^ ((a ^ b) & c) for line, a, b, c in zip(lines, zero, other, cells, strict=True)]


def best_mask_pattern(code):
    """The mask (0 to 7) of the lowest penalty for ``code``, a ``qrcode.QRCode`` holding its data whose
    version is set (``best_fit``); qrcode's ``best_mask_pattern`` chooses the same."""
    return min(_scores(code)[0])[1]


def make(code):
    """Make ``code`` (its data added, its version set by ``best_fit``) with the mask qrcode would choose,
    the data placed once: the chosen mask is applied to the rows scored, then the format and version
    information written, as ``code.make(fit=False)`` does after ``best_mask_pattern``. Returns
    ``code.get_matrix()``, the same symbol."""
    scores, symbol, cells = _scores(code)
    pattern = min(scores)[1]
    size = code.modules_count
    code.mask_pattern = pattern
    code.modules = [
        [bool(line >> (size - 1 - col) & 1) for col in range(size)]
        for line in _masked_lines(symbol[0], cells[0], pattern, size, 0)
    ]
    code.setup_type_info(False, pattern)
    if code.version >= 7:
        code.setup_type_number(False)
    return code.get_matrix()
