"""Amounts in words for Swiss invoices, on top of num2words.

Swiss French uses ``septante``, ``huitante``, ``nonante`` (num2words ``fr_CH``); the wrapper
also fixes the agreement of ``cent``/``million`` that num2words gets wrong ("deux cent mille",
"un million") and writes Swiss German without ``ß``. Currency words: francs/centimes,
Franken/Rappen, franchi/centesimi, the euro and the usual invoicing currencies (dollars, pounds,
crowns, yen, złoty...); any other currency is written with its ISO code and hundredths.
"""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

_LANGS = {"fr": "fr_CH", "de": "de", "it": "it"}
# Currency words per language: (unit singular, unit plural), (subunit singular, subunit plural),
# the conjunction, and the words for exactly one unit / subunit when the noun is feminine.
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
    "USD": {
        "fr": (("dollar américain", "dollars américains"), ("cent", "cents"), "et"),
        "de": (("US-Dollar", "US-Dollar"), ("Cent", "Cent"), "und"),
        "it": (("dollaro statunitense", "dollari statunitensi"), ("centesimo", "centesimi"), "e"),
    },
    "CAD": {
        "fr": (("dollar canadien", "dollars canadiens"), ("cent", "cents"), "et"),
        "de": (("kanadischer Dollar", "kanadische Dollar"), ("Cent", "Cent"), "und"),
        "it": (("dollaro canadese", "dollari canadesi"), ("centesimo", "centesimi"), "e"),
    },
    "AUD": {
        "fr": (("dollar australien", "dollars australiens"), ("cent", "cents"), "et"),
        "de": (("australischer Dollar", "australische Dollar"), ("Cent", "Cent"), "und"),
        "it": (("dollaro australiano", "dollari australiani"), ("centesimo", "centesimi"), "e"),
    },
    "GBP": {
        "fr": (("livre sterling", "livres sterling"), ("penny", "pence"), "et", "une livre sterling"),
        "de": (("Pfund Sterling", "Pfund Sterling"), ("Penny", "Pence"), "und", "ein Pfund Sterling"),
        "it": (("sterlina", "sterline"), ("penny", "pence"), "e", "una sterlina"),
    },
    "JPY": {
        "fr": (("yen", "yens"), ("sen", "sen"), "et"),
        "de": (("Yen", "Yen"), ("Sen", "Sen"), "und"),
        "it": (("yen", "yen"), ("sen", "sen"), "e"),
    },
    "SEK": {
        "fr": (("couronne suédoise", "couronnes suédoises"), ("öre", "öre"), "et", "une couronne suédoise"),
        "de": (("schwedische Krone", "schwedische Kronen"), ("Öre", "Öre"), "und", "eine schwedische Krone"),
        "it": (("corona svedese", "corone svedesi"), ("öre", "öre"), "e", "una corona svedese"),
    },
    "NOK": {
        "fr": (("couronne norvégienne", "couronnes norvégiennes"), ("øre", "øre"), "et", "une couronne norvégienne"),
        "de": (("norwegische Krone", "norwegische Kronen"), ("Øre", "Øre"), "und", "eine norwegische Krone"),
        "it": (("corona norvegese", "corone norvegesi"), ("øre", "øre"), "e", "una corona norvegese"),
    },
    "DKK": {
        "fr": (("couronne danoise", "couronnes danoises"), ("øre", "øre"), "et", "une couronne danoise"),
        "de": (("dänische Krone", "dänische Kronen"), ("Øre", "Øre"), "und", "eine dänische Krone"),
        "it": (("corona danese", "corone danesi"), ("øre", "øre"), "e", "una corona danese"),
    },
    "PLN": {
        "fr": (("złoty", "złotys"), ("grosz", "groszy"), "et"),
        "de": (("Złoty", "Złoty"), ("Groszy", "Groszy"), "und"),
        "it": (("złoty", "złoty"), ("grosz", "groszy"), "e"),
    },
    "CZK": {
        "fr": (("couronne tchèque", "couronnes tchèques"), ("haléř", "haléřů"), "et", "une couronne tchèque"),
        "de": (("tschechische Krone", "tschechische Kronen"), ("Heller", "Heller"), "und", "eine tschechische Krone"),
        "it": (("corona ceca", "corone ceche"), ("haléř", "haléřů"), "e", "una corona ceca"),
    },
}
# Any other currency: its ISO code as the unit and hundredths as the subunit.
_FALLBACK = {
    "fr": (("centième", "centièmes"), "et"),
    "de": (("Hundertstel", "Hundertstel"), "und"),
    "it": (("centesimo", "centesimi"), "e"),
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


def _unit_words(base, count, forms, one=None):
    if count == 1 and one:
        return one
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


def currency_units(currency, lang):
    """(unit forms, subunit forms, conjunction, words for one unit) of ``currency`` in ``lang``."""
    base = (lang or "fr")[:2]
    if base not in _LANGS:
        base = "fr"
    entry = _UNITS.get((currency or "").upper())
    if entry:
        units = entry[base]
        return units[0], units[1], units[2], units[3] if len(units) > 3 else None
    code = (currency or "").upper() or "CHF"
    subunits, conjunction = _FALLBACK[base]
    return (code, code), subunits, conjunction, None


def amount_to_words(amount, lang="fr_CH", currency="CHF", decimals=2):
    """``amount`` in words with its currency units, e.g. 1971.80 -> "mille neuf cent septante et un
    francs et huitante centimes"; ``decimals`` is the number of decimals of the currency (0 for
    the yen: no subunit is written)."""
    base = (lang or "fr")[:2]
    if base not in _LANGS:
        base = "fr"
    unit, subunit, conjunction, one = currency_units(currency, base)
    quantum = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    value = Decimal(str(amount)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = {"fr": "moins ", "de": "minus ", "it": "meno "}[base] if value < 0 else ""
    value = abs(value)
    whole = int(value)
    fraction = int((value - whole) * (10**decimals)) if decimals else 0
    parts = []
    if whole or not fraction:
        parts.append(_unit_words(base, whole, unit, one))
    if fraction:
        if decimals == 2:
            parts.append(_unit_words(base, fraction, subunit))
        else:
            parts.append(f"{number_to_words(fraction, base)}/{10**decimals}")
    return sign + f" {conjunction} ".join(parts)
