"""The QR-bill slip drawn from its payload (``sysengage_einvoice/tools/qr_slip.py``)."""

import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from sysengage_einvoice_tools import qr_slip

SIX_EXAMPLE = [
    "SPC", "0200", "1", "CH4431999123000889012",
    "S", "Robert Schneider AG", "Rue du Lac", "1268", "2501", "Biel", "CH",
    "", "", "", "", "", "", "",
    "1949.75", "CHF",
    "S", "Pia-Maria Rutschmann-Schnyder", "Grosse Marktgasse", "28", "9400", "Rorschach", "CH",
    "QRR", "210000000003139471430009017", "Auftrag vom 15.06.2020", "EPD",
    "//S1/10/10201409/11/200701/20/140.000-53/30/102673831/31/200615/32/7.7/33/7.7:139.40/40/0:30",
]  # fmt: skip


def _payload(**changes):
    lines = list(SIX_EXAMPLE)
    for index, value in changes.items():
        lines[int(index.lstrip("_"))] = value
    return "\n".join(lines)


def _pages(pdf):
    return PdfReader(io.BytesIO(pdf)).pages


def test_parse_payload():
    fields = qr_slip.parse_payload(_payload())
    assert fields["iban"] == "CH4431999123000889012"
    assert fields["creditor"] == {
        "name": "Robert Schneider AG",
        "address": ["Rue du Lac 1268", "2501 Biel"],
        "country": "CH",
    }
    assert fields["debtor"]["address"] == ["Grosse Marktgasse 28", "9400 Rorschach"]
    assert (fields["amount"], fields["currency"]) == ("1949.75", "CHF")
    assert (fields["reference_type"], fields["message"]) == ("QRR", "Auftrag vom 15.06.2020")
    assert fields["billing"].startswith("//S1/10/10201409")


def test_foreign_debtor_and_no_amount():
    fields = qr_slip.parse_payload(_payload(_18="", _19="EUR", _24="10115", _25="Berlin", _26="DE"))
    assert fields["debtor"]["address"][-1] == "DE-10115 Berlin"
    assert fields["amount"] == ""
    assert qr_slip.parse_payload(_payload(_21=""))["debtor"] is None


@pytest.mark.parametrize("payload", ["", "SPC\n0100\n1", _payload(_30="XXX"), _payload(_0="BCD")])
def test_refuses_what_is_not_a_qr_bill(payload):
    with pytest.raises(qr_slip.QrSlipError):
        qr_slip.parse_payload(payload)


@pytest.mark.parametrize(
    ("kind", "reference", "printed"),
    [
        ("QRR", "210000000003139471430009017", "21 00000 00003 13947 14300 09017"),
        ("SCOR", "RF18539007547034", "RF18 5390 0754 7034"),
        ("NON", "", ""),
    ],
)
def test_reference_blocks(kind, reference, printed):
    assert qr_slip.format_reference(kind, reference) == printed


@pytest.mark.parametrize(
    ("amount", "printed"),
    [("1949.75", "1 949.75"), ("0.50", "0.50"), ("1234567.00", "1 234 567.00"), ("999.00", "999.00"), ("", "")],
)
def test_amount_with_space_between_thousands(amount, printed):
    assert qr_slip.format_amount(amount) == printed


def test_iban_in_blocks_of_four():
    assert qr_slip.format_iban("CH4431999123000889012") == "CH44 3199 9123 0008 8901 2"


def test_one_page_per_slip_with_a_text_layer():
    pdf = qr_slip.draw_slips([(_payload(), "de_CH"), (_payload(_18=""), "fr_CH"), (_payload(), "it_CH")])
    pages = _pages(pdf)
    assert len(pages) == 3
    german = pages[0].extract_text()
    for text in ("Empfangsschein", "Zahlteil", "Konto / Zahlbar an", "CH44 3199 9123 0008 8901 2",
                 "Robert Schneider AG", "Rue du Lac 1268", "2501 Biel", "21 00000 00003 13947 14300 09017",
                 "Auftrag vom 15.06.2020", "Pia-Maria Rutschmann-Schnyder", "1 949.75", "Annahmestelle"):  # fmt: skip
        assert text in german, text
    french = pages[1].extract_text()
    assert "Section paiement" in french and "Payable par" in french
    assert "1 949.75" not in french, "no amount: a blank field to fill in"
    assert "Sezione pagamento" in pages[2].extract_text()
    # A4 portrait, the slip at the foot
    assert [round(float(value) / mm) for value in pages[0].mediabox[2:]] == [210, 297]


def test_texts_where_the_style_guide_puts_them():
    pdf = qr_slip.draw_slips([(_payload(), "en")])
    where = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            where.setdefault(text.strip(), (tm[4] / mm, tm[5] / mm, font_size))

    _pages(pdf)[0].extract_text(visitor_text=visit)
    assert where["Receipt"][0] == pytest.approx(5, abs=0.1)
    assert where["Payment part"][0] == pytest.approx(67, abs=0.1)
    assert where["Payment part"][1] < 105 and where["Receipt"][1] < 105
    assert where["Account / Payable to"][0] in (pytest.approx(5, abs=0.1), pytest.approx(118, abs=0.1))
    sizes = {size for text, (_x, _y, size) in where.items() if text == "Robert Schneider AG"}
    assert sizes <= {8, 10}


def test_billing_information_wrapped_inside_the_column():
    pdf = qr_slip.draw_slips([(_payload(), "en")])
    text = _pages(pdf)[0].extract_text()
    assert "//S1/10/10201409" in text
    joined = text.replace("\n", "")
    assert SIX_EXAMPLE[31] in joined, "all of the billing information is printed, over several lines"


def test_many_slips_in_one_document():
    pdf = qr_slip.draw_slips([(_payload(_18=f"{index}.05"), "de") for index in range(1, 101)])
    assert len(_pages(pdf)) == 100
