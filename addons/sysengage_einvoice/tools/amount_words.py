"""Amounts in words for Swiss invoices, on top of num2words.

Swiss French uses ``septante``, ``huitante``, ``nonante`` (num2words ``fr_CH``); the wrapper
also fixes the agreement of ``cent``/``million`` that num2words gets wrong ("deux cent mille",
"un million") and writes Swiss German without ``ß``. Currency words: francs/centimes,
Franken/Rappen, franchi/centesimi (or the euro equivalents).
"""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

_LANGS = {"fr": "fr_CH", "de": "de", "it": "it"}
_UNITS = {
    "CHF": {
        "fr": (("franc", "francs"), ("centime", "centimes"), "et"),
        "de": (("Franken", "Franken"), ("Rappen", "Rappen"), "und"),
        "it": (("franco", "franchi"), ("centesimo", "centesimi"), "e"),
    },
    "EUR": {
        "fr": (("euro", "euros"), ("centime", "centimes"), "et"),
        "de": (("Euro", "Euro"), ("Cent", "Cent"), "und"),
        "it": (("euro", "euro"), ("centesimo", "centesimi"), "e"),
    },
}
_FR_NOUNS = ("million", "millions", "milliard", "milliards")


def _fix_french(words):
    tokens = words.split(" ")
    fixed = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token == "cents" and following is not None and following not in _FR_NOUNS:
            token = "cent"
        if token in ("millions", "milliards") and index > 0 and tokens[index - 1] == "un":
            token = token[:-1]
        fixed.append(token)
    return " ".join(fixed)


def number_to_words(number, lang):
    """An integer in words in ``lang`` (fr, de, it, or a locale such as fr_CH)."""
    base = (lang or "fr")[:2]
    if base not in _LANGS:
        base = "fr"
    words = num2words(int(number), lang=_LANGS[base])
    if base == "fr":
        words = _fix_french(words)
    elif base == "de":
        words = words.replace("ß", "ss")
    return words


def _unit_words(base, count, forms):
    if base == "de" and count == 1:
        return "ein " + forms[0]
    if base == "it" and count == 1:
        return "un " + forms[0]
    if base == "fr" and count == 1:
        return "un " + forms[0]
    words = number_to_words(count, base)
    last = words.rsplit(" ", 1)[-1]
    if base == "fr" and last in _FR_NOUNS:
        words += " de"
    elif base == "it" and (last.endswith("milioni") or last.endswith("milione") or last.endswith("miliardi")):
        words += " di"
    return f"{words} {forms[1]}"


def amount_to_words(amount, lang="fr_CH", currency="CHF"):
    """``amount`` in words with its currency units, e.g. 1971.80 -> "mille neuf cent septante et un
    francs et huitante centimes"."""
    base = (lang or "fr")[:2]
    if base not in _LANGS:
        base = "fr"
    units = _UNITS.get(currency, _UNITS["CHF"])[base]
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = {"fr": "moins ", "de": "minus ", "it": "meno "}[base] if value < 0 else ""
    value = abs(value)
    whole = int(value)
    cents = int((value - whole) * 100)
    parts = []
    if whole or not cents:
        parts.append(_unit_words(base, whole, units[0]))
    if cents:
        parts.append(_unit_words(base, cents, units[1]))
    return sign + f" {units[2]} ".join(parts)
