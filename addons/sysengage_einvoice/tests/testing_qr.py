"""QR-bill payloads laid out as the Swiss Implementation Guidelines 2.3 give them (plain Python, no Odoo):
shared by the addon's tests and the unit tests (``sysengage_einvoice_testing.testing_qr``)."""

QR_IBAN = "CH4431999123000889012"
PLAIN_IBAN = "CH9300762011623852957"
# Example reference of the SIX Implementation Guidelines (also a legacy ISR reference).
SIX_QRR = "210000000003139471430009017"

# the creditor of the tests' company, as a structured address ("S": name, street, number, ZIP, city, country)
CREDITOR = ["S", "Sysengage Démo SA", "Rue du Lac", "12", "1003", "Lausanne", "CH"]
# debtors abroad, as structured addresses
DEBTORS_ABROAD = {
    "DE": ["S", "Müller & Söhne GmbH", "Hauptstraße", "5", "10115", "Berlin", "DE"],
    "FR": ["S", "Boulangerie Dupré SARL", "rue de la Paix", "12", "75002", "Paris", "FR"],
    "IT": ["S", "Società Rossi S.r.l.", "Via Roma", "10", "20121", "Milano", "IT"],
    "LI": ["S", "Alpenbau Anstalt", "Städtle", "3", "9490", "Vaduz", "LI"],
}


def qr_payload(iban, creditor, amount, currency, debtor, ref_type, reference, message):
    """The lines of a QR-bill payload (no ultimate creditor, no alternative procedure); ``creditor`` and
    ``debtor`` are the 7 lines of an address."""
    no_ultimate_creditor = [""] * 7
    return [
        "SPC",
        "0200",
        "1",
        iban,
        *creditor,
        *no_ultimate_creditor,
        amount,
        currency,
        *debtor,
        ref_type,
        reference,
        message,
        "EPD",
    ]
