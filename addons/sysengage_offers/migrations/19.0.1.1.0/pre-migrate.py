"""The offer and invoice texts are no longer translated: keep the version the customer got.

Until 19.0.1.1.0 the introduction and closing texts of offers and invoices were stored per language,
and an edit reached only the editor's language. Odoo keeps the English value when a field stops being
translated; put the value in the customer's language there first, so that what printed stays.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    for table in ("sale_order", "account_move"):
        for column in ("sysengage_intro_text", "sysengage_closing_text"):
            cr.execute(
                SQL(
                    "SELECT data_type FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                    table,
                    column,
                )
            )
            row = cr.fetchone()
            if not row or row[0] != "jsonb":
                continue
            cr.execute(
                SQL(
                    """
                    UPDATE %(table)s doc
                       SET %(column)s = jsonb_build_object('en_US', doc.%(column)s ->> partner.lang)
                      FROM res_partner partner
                     WHERE partner.id = doc.partner_id
                       AND partner.lang IS NOT NULL
                       AND doc.%(column)s ? partner.lang
                    """,
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                )
            )
