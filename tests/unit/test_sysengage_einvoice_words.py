"""Amounts in words (Swiss French, German, Italian) and retry back-off."""

from datetime import timedelta

import pytest
from sysengage_einvoice_tools.amount_words import amount_to_words, number_to_words
from sysengage_einvoice_tools.backoff import retry_delay


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (70, "septante"),
        (80, "huitante"),
        (90, "nonante"),
        (71, "septante et un"),
        (98, "nonante-huit"),
        (200, "deux cents"),
        (250, "deux cent cinquante"),
        (200000, "deux cent mille"),
        (1000000, "un million"),
        (2000000, "deux millions"),
    ],
)
def test_swiss_french_numbers(number, words):
    assert number_to_words(number, "fr_CH") == words


def test_francs_and_centimes():
    assert amount_to_words(1971.80, "fr_CH") == "mille neuf cent septante et un francs et huitante centimes"
    assert amount_to_words(1.01, "fr_CH") == "un franc et un centime"
    assert amount_to_words(0.5, "fr_CH") == "cinquante centimes"
    assert amount_to_words(1000000, "fr_CH") == "un million de francs"
    assert amount_to_words(12, "fr_CH", "EUR") == "douze euros"


def test_german_and_italian():
    assert amount_to_words(1971.80, "de_CH") == "eintausendneunhunderteinundsiebzig Franken und achtzig Rappen"
    assert amount_to_words(33, "de_CH") == "dreiunddreissig Franken"
    assert amount_to_words(1, "de_CH") == "ein Franken"
    assert amount_to_words(1971.80, "it_IT") == "millenovecentosettantuno franchi e ottanta centesimi"
    assert amount_to_words(2000000, "it_IT") == "due milioni di franchi"


def test_rounding_to_centimes():
    assert amount_to_words(10.005, "fr_CH") == "dix francs et un centime"
    assert amount_to_words(-5, "fr_CH") == "moins cinq francs"


def test_retry_delay_doubles_and_caps():
    assert retry_delay(1) == timedelta(minutes=5)
    assert retry_delay(3) == timedelta(minutes=20)
    assert retry_delay(20) == timedelta(hours=24)
    with pytest.raises(ValueError):
        retry_delay(0)
