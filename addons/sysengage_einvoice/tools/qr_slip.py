"""The payment part and receipt of a Swiss QR-bill, drawn directly as PDF from the QR payload.

Plain Python (reportlab and qrcode, no ORM). Everything printed comes from the payload that the QR
code carries (core ``l10n_ch`` builds it), so the printed bill can never say something else than its
code. Layout, fonts and sizes follow the SIX "Swiss Payment Standards — Style Guide for the QR-bill"
and the Implementation Guidelines 2.3, chapter 3 (A6 landscape 210 × 105 mm at the foot of an A4
page; receipt 62 mm wide, payment part 148 mm; QR code 46 × 46 mm with a 7 × 7 mm Swiss cross;
Helvetica headings 6/8 pt bold and values 8/10 pt; perforation lines with a scissors symbol).

The text is real PDF text (Helvetica, a standard font), so it can be searched, copied and read out.
One call draws any number of slips into one document, one A4 page each: thousands in seconds.
"""

import io
from decimal import Decimal

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from . import qr_mask

# payload line numbers (IG 2.3, 4.3.3)
IBAN, CDTR_TYPE, CDTR_NAME, CDTR_STREET, CDTR_BUILDING, CDTR_ZIP, CDTR_TOWN, CDTR_COUNTRY = range(3, 11)
AMOUNT, CURRENCY = 18, 19
DBTR_TYPE, DBTR_NAME, DBTR_STREET, DBTR_BUILDING, DBTR_ZIP, DBTR_TOWN, DBTR_COUNTRY = range(20, 27)
REF_TYPE, REFERENCE, MESSAGE, TRAILER, BILLING = 27, 28, 29, 30, 31

LABELS = {
    "en": {
        "receipt": "Receipt",
        "payment_part": "Payment part",
        "account": "Account / Payable to",
        "reference": "Reference",
        "information": "Additional information",
        "payable_by": "Payable by",
        "payable_by_blank": "Payable by (name/address)",
        "currency": "Currency",
        "amount": "Amount",
        "acceptance": "Acceptance point",
    },
    "de": {
        "receipt": "Empfangsschein",
        "payment_part": "Zahlteil",
        "account": "Konto / Zahlbar an",
        "reference": "Referenz",
        "information": "Zusätzliche Informationen",
        "payable_by": "Zahlbar durch",
        "payable_by_blank": "Zahlbar durch (Name/Adresse)",
        "currency": "Währung",
        "amount": "Betrag",
        "acceptance": "Annahmestelle",
    },
    "fr": {
        "receipt": "Récépissé",
        "payment_part": "Section paiement",
        "account": "Compte / Payable à",
        "reference": "Référence",
        "information": "Informations supplémentaires",
        "payable_by": "Payable par",
        "payable_by_blank": "Payable par (nom/adresse)",
        "currency": "Monnaie",
        "amount": "Montant",
        "acceptance": "Point de dépôt",
    },
    "it": {
        "receipt": "Ricevuta",
        "payment_part": "Sezione pagamento",
        "account": "Conto / Pagabile a",
        "reference": "Riferimento",
        "information": "Informazioni supplementari",
        "payable_by": "Pagabile da",
        "payable_by_blank": "Pagabile da (nome/indirizzo)",
        "currency": "Valuta",
        "amount": "Importo",
        "acceptance": "Punto di accettazione",
    },
}

FONT, FONT_BOLD = "Helvetica", "Helvetica-Bold"
SLIP_HEIGHT = 105 * mm
RECEIPT_WIDTH = 62 * mm
MARGIN = 5 * mm
QR_SIZE = 46 * mm
CROSS_SIZE = 7 * mm


class QrSlipError(ValueError):
    """A payload that is not a Swiss QR-bill (SPC 0200)."""


def parse_payload(payload):
    """The fields of a QR-bill payload as a dict; raise :class:`QrSlipError` when it is not one."""
    lines = payload.replace("\r\n", "\n").split("\n")
    if len(lines) < 31 or lines[0] != "SPC" or lines[1] != "0200" or lines[TRAILER] != "EPD":
        raise QrSlipError("not a Swiss QR-bill payload (SPC 0200 ... EPD)")
    lines += [""] * (34 - len(lines))

    def party(first):
        name = lines[first + 1]
        if not name:
            return None
        kind, street, building, zip_code, town, country = (lines[first + offset] for offset in (0, 2, 3, 4, 5, 6))
        if kind == "K":  # combined address lines (accepted until IG 2.3 made S mandatory)
            address = [street, building]
        else:
            place = f"{zip_code} {town}".strip()
            address = [f"{street} {building}".strip(), f"{country}-{place}" if country and country != "CH" else place]
        return {"name": name, "address": [line for line in address if line], "country": country}

    return {
        "iban": lines[IBAN],
        "creditor": party(CDTR_TYPE),
        "amount": lines[AMOUNT],
        "currency": lines[CURRENCY],
        "debtor": party(DBTR_TYPE),
        "reference_type": lines[REF_TYPE],
        "reference": lines[REFERENCE],
        "message": lines[MESSAGE],
        "billing": lines[BILLING] if len(lines) > BILLING else "",
        "payload": payload,
    }


def format_iban(iban):
    """``CH44 3199 9123 0008 8901 2``."""
    compact = iban.replace(" ", "")
    return " ".join(compact[index : index + 4] for index in range(0, len(compact), 4))


def format_reference(reference_type, reference):
    """A QR reference in blocks of 5 from the right (``21 00000 00003 13947 14300 09017``),
    a creditor reference in blocks of 4 from the left (``RF18 5390 0754 7034``)."""
    reference = (reference or "").replace(" ", "")
    if reference_type == "QRR":
        head = len(reference) % 5
        blocks = [reference[:head]] if head else []
        blocks += [reference[index : index + 5] for index in range(head, len(reference), 5)]
        return " ".join(blocks)
    return " ".join(reference[index : index + 4] for index in range(0, len(reference), 4))


def format_amount(amount):
    """``1 234.50``: a space between thousands, a point before the cents (style guide 3.5.3)."""
    if not amount:
        return ""
    value = Decimal(amount)
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        whole, group = whole[:-3], whole[-3:]
        groups.insert(0, group)
    return " ".join([whole, *groups]) + "." + cents


def _qr_matrix(payload):
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    code.add_data(payload.encode("utf-8"))
    code.best_fit()
    # the mask qrcode would choose (the lowest ISO/IEC 18004 penalty), found in half its time, and the
    # symbol with that mask derived from the one scored instead of placing the data a second time
    return qr_mask.make(code)


def _draw_qr(pdf, payload, x, y):
    """The QR code (error correction M) as vector squares, 46 mm wide, with the Swiss cross on top."""
    matrix = _qr_matrix(payload)
    module = QR_SIZE / len(matrix)
    pdf.setFillColorRGB(0, 0, 0)
    path = pdf.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + QR_SIZE - (row_index + 1) * module
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(x + start * module, top, (col - start) * module, module)
            else:
                col += 1
    pdf.drawPath(path, stroke=0, fill=1)
    # Swiss cross: white frame, black square, white cross (arms 6/32 wide, 20/32 long, as the flag)
    cross_x, cross_y = x + (QR_SIZE - CROSS_SIZE) / 2, y + (QR_SIZE - CROSS_SIZE) / 2
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(cross_x, cross_y, CROSS_SIZE, CROSS_SIZE, stroke=0, fill=1)
    inner = CROSS_SIZE - 2 * 0.45 * mm
    pdf.setFillColorRGB(0, 0, 0)
    pdf.rect(cross_x + 0.45 * mm, cross_y + 0.45 * mm, inner, inner, stroke=0, fill=1)
    arm_width, arm_length = inner * 6 / 32, inner * 20 / 32
    centre_x, centre_y = cross_x + CROSS_SIZE / 2, cross_y + CROSS_SIZE / 2
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(centre_x - arm_width / 2, centre_y - arm_length / 2, arm_width, arm_length, stroke=0, fill=1)
    pdf.rect(centre_x - arm_length / 2, centre_y - arm_width / 2, arm_length, arm_width, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)


def _draw_scissors(pdf, x, y, angle):
    """A scissors symbol cutting along the perforation at ``(x, y)`` (drawn: no font needed)."""
    pdf.saveState()
    pdf.translate(x, y)
    pdf.rotate(angle)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(-2.6 * mm, -1.6 * mm, 5.2 * mm, 3.2 * mm, stroke=0, fill=1)  # the line pauses under it
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setLineWidth(0.6)
    pdf.circle(-1.7 * mm, 0.75 * mm, 0.65 * mm, stroke=1, fill=0)
    pdf.circle(-1.7 * mm, -0.75 * mm, 0.65 * mm, stroke=1, fill=0)
    pdf.line(-1.1 * mm, 0.5 * mm, 2.4 * mm, -0.9 * mm)
    pdf.line(-1.1 * mm, -0.5 * mm, 2.4 * mm, 0.9 * mm)
    pdf.restoreState()


def _corner_box(pdf, x, y, width, height):
    """A blank field to fill in by hand, marked by its four corners (style guide 3.7)."""
    arm = 3 * mm
    pdf.setLineWidth(0.75)
    for corner_x, corner_y, dx, dy in (
        (x, y, 1, 1),
        (x + width, y, -1, 1),
        (x, y + height, 1, -1),
        (x + width, y + height, -1, -1),
    ):
        pdf.line(corner_x, corner_y, corner_x + dx * arm, corner_y)
        pdf.line(corner_x, corner_y, corner_x, corner_y + dy * arm)


class _Column:
    """Writes headings and values downwards from ``top`` at ``x``, as the style guide spaces them."""

    def __init__(self, pdf, x, top, width, heading_size, value_size, line_height):
        self.pdf, self.x, self.y, self.width = pdf, x, top, width
        self.heading_size, self.value_size, self.line_height = heading_size, value_size, line_height

    def heading(self, text):
        self.y -= self.heading_size
        self.pdf.setFont(FONT_BOLD, self.heading_size)
        self.pdf.drawString(self.x, self.y, text)
        self.y -= self.line_height - self.heading_size

    def values(self, lines):
        self.pdf.setFont(FONT, self.value_size)
        for line in lines:
            for part in self._wrap(line):
                self.y -= self.value_size
                self.pdf.drawString(self.x, self.y, part)
                self.y -= self.line_height - self.value_size
        self.y -= self.line_height * 0.6  # the gap before the next heading

    def _fits(self, text):
        return self.pdf.stringWidth(text, FONT, self.value_size) <= self.width

    def _wrap(self, text):
        """Lines within the column: broken between words, and inside a word too long for one line
        (billing information has no spaces)."""
        line, lines = "", []
        for word in text.split(" "):
            candidate = f"{line} {word}".strip()
            if self._fits(candidate):
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:
                if line and not self._fits(line + char):
                    lines.append(line)
                    line = ""
                line += char
        return [*lines, line] if line else lines


def _draw_amount(pdf, labels, x, top, sizes, currency, amount, amount_x, blank_box):
    """The currency and amount section: headings, values, or a blank field for the amount."""
    heading_size, value_size, gap = sizes
    pdf.setFont(FONT_BOLD, heading_size)
    pdf.drawString(x, top - heading_size, labels["currency"])
    pdf.drawString(x + amount_x, top - heading_size, labels["amount"])
    pdf.setFont(FONT, value_size)
    pdf.drawString(x, top - heading_size - gap, currency)
    if amount:
        pdf.drawString(x + amount_x, top - heading_size - gap, amount)
    else:
        _corner_box(pdf, *blank_box)


def _draw_information(column, labels, parts, blank_box_size):
    """Account, reference, additional information and debtor, as the receipt and payment part list them."""
    creditor_lines, reference, information, debtor = parts
    column.heading(labels["account"])
    column.values(creditor_lines)
    if reference:
        column.heading(labels["reference"])
        column.values([reference])
    if information:
        column.heading(labels["information"])
        column.values(information)
    if debtor:
        column.heading(labels["payable_by"])
        column.values([debtor["name"], *debtor["address"]])
    else:
        column.heading(labels["payable_by_blank"])
        width, height = blank_box_size
        _corner_box(column.pdf, column.x, column.y - height, width, height)


def _draw_slip(pdf, fields, labels):
    width = A4[0]
    # perforations: dashed lines with a scissors symbol (style guide 3.4)
    pdf.setLineWidth(0.5)
    pdf.setDash(2, 2)
    pdf.line(0, SLIP_HEIGHT, width, SLIP_HEIGHT)
    pdf.line(RECEIPT_WIDTH, 0, RECEIPT_WIDTH, SLIP_HEIGHT)
    pdf.setDash()
    _draw_scissors(pdf, 12 * mm, SLIP_HEIGHT, 0)
    _draw_scissors(pdf, RECEIPT_WIDTH, 92 * mm, -90)

    creditor, debtor = fields["creditor"], fields["debtor"]
    creditor_lines = [format_iban(fields["iban"]), creditor["name"], *creditor["address"]] if creditor else []
    reference = format_reference(fields["reference_type"], fields["reference"])
    amount = format_amount(fields["amount"])
    information = [text for text in (fields["message"], fields["billing"]) if text]
    amount_top = 37 * mm

    # --- receipt: 6 pt headings, 8 pt values, 9 pt lines; no additional information ---
    left = MARGIN
    pdf.setFont(FONT_BOLD, 11)
    pdf.drawString(left, SLIP_HEIGHT - MARGIN - 11, labels["receipt"])
    receipt = _Column(pdf, left, SLIP_HEIGHT - MARGIN - 7 * mm, RECEIPT_WIDTH - 2 * MARGIN, 6, 8, 9)
    _draw_information(receipt, labels, (creditor_lines, reference, [], debtor), (52 * mm, 20 * mm))
    _draw_amount(
        pdf, labels, left, amount_top, (6, 8, 11), fields["currency"], amount, 12 * mm,
        (RECEIPT_WIDTH - MARGIN - 30 * mm, amount_top - 6 - 11 * mm, 30 * mm, 10 * mm),
    )  # fmt: skip
    pdf.setFont(FONT_BOLD, 6)
    pdf.drawRightString(RECEIPT_WIDTH - MARGIN, 23 * mm - 6, labels["acceptance"])

    # --- payment part: 8 pt headings, 10 pt values, 11 pt lines ---
    part_left = RECEIPT_WIDTH + MARGIN
    pdf.setFont(FONT_BOLD, 11)
    pdf.drawString(part_left, SLIP_HEIGHT - MARGIN - 11, labels["payment_part"])
    _draw_qr(pdf, fields["payload"], part_left, SLIP_HEIGHT - MARGIN - 7 * mm - 5 * mm - QR_SIZE)
    _draw_amount(
        pdf, labels, part_left, amount_top, (8, 10, 13), fields["currency"], amount, 14 * mm,
        (part_left + 11 * mm, amount_top - 8 - 17 * mm, 40 * mm, 15 * mm),
    )  # fmt: skip
    info_left = part_left + QR_SIZE + MARGIN
    info = _Column(pdf, info_left, SLIP_HEIGHT - MARGIN, A4[0] - info_left - MARGIN, 8, 10, 11)
    _draw_information(info, labels, (creditor_lines, reference, information, debtor), (65 * mm, 25 * mm))


def draw_slips(slips, title="QR-bill"):
    """One A4 page per ``(payload, lang)`` of ``slips``, the QR-bill at its foot: the PDF as bytes.

    ``lang`` is a language code such as ``de_CH`` (its first two letters pick the labels; English
    for any other). Raises :class:`QrSlipError` for a payload that is not a QR-bill.
    """
    stream = io.BytesIO()
    pdf = canvas.Canvas(stream, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    pdf.setCreator("Sysengage")
    for payload, lang in slips:
        fields = parse_payload(payload)
        _draw_slip(pdf, fields, LABELS.get((lang or "en")[:2], LABELS["en"]))
        pdf.showPage()
    pdf.save()
    return stream.getvalue()
