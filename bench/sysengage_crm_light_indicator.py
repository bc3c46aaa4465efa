"""Benchmark: a Sysengage indicator over N invoice lines beside Odoo's own pivot on the same data.

Usage (from the repository root, on a database where sysengage_crm_light is installed):

    python3 bench/sysengage_crm_light_indicator.py DBNAME [--lines 1000000] [--keep]

The data is generated in SQL (bulk ``INSERT ... SELECT generate_series``) by cloning one posted
invoice made through the ORM: ``lines / 10`` invoices of 10 product lines, over 1,000 customers
and 24 months. The indicator "revenue by customer by month" is timed beside the pivot's own
call (``formatted_read_grouping_sets``, the grouping sets a 2-dimension pivot asks for) and the
bare ``formatted_read_group``, with the same domain. Everything runs in one transaction that is
rolled back at the end unless ``--keep`` is given. Target: within 1.5x of the pivot, under 3 s.
"""

import argparse
import statistics
import time
from datetime import date

import odoo
from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tools import SQL

PARTNERS = 1000
LINES_PER_MOVE = 10
MONTHS = 24
START = date(2025, 1, 1)


def _columns(cr, table, skip):
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND table_schema = 'public'",
            table,
        )
    )
    return [name for (name,) in cr.fetchall() if name not in skip]


def generate(env, lines):
    """Bulk-insert ``lines`` posted invoice lines; returns the customers' ids."""
    cr = env.cr
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {i:04d}", "is_company": True} for i in range(PARTNERS)]
    )
    product = env["product.product"].create(
        {"name": "Bench product", "lst_price": 100.0, "taxes_id": [Command.clear()]}
    )
    template = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partners[0].id,
            "invoice_date": START,
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 100.0})],
        }
    )
    template.action_post()
    template_line = template.line_ids.filtered(lambda line: line.display_type == "product")
    env.flush_all()
    moves = lines // LINES_PER_MOVE

    overrides = {
        "name": SQL("'BENCH/' || g"),
        "date": SQL("%s::date + (g %% (%s * 30))", START, MONTHS),
        "invoice_date": SQL("%s::date + (g %% (%s * 30))", START, MONTHS),
        "partner_id": SQL("(%s::int[])[1 + g %% %s]", partners.ids, PARTNERS),
        "commercial_partner_id": SQL("(%s::int[])[1 + g %% %s]", partners.ids, PARTNERS),
        "sequence_prefix": SQL("'BENCH/'"),
        "sequence_number": SQL("g"),
    }
    columns = _columns(cr, "account_move", {"id"})
    select = [overrides.get(column, SQL.identifier("m", column)) for column in columns]
    started = time.perf_counter()
    cr.execute(
        SQL(
            "INSERT INTO account_move (%s) SELECT %s FROM account_move m, generate_series(1, %s) g WHERE m.id = %s",
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(", ").join(select),
            moves,
            template.id,
        )
    )
    line_overrides = {
        "move_id": SQL("nm.id"),
        "move_name": SQL("nm.name"),
        "date": SQL("nm.date"),
        "invoice_date": SQL("nm.invoice_date"),
        "partner_id": SQL("nm.partner_id"),
        "quantity": SQL("k"),
        "price_unit": SQL("10.0 * k"),
        "price_subtotal": SQL("10.0 * k * k"),
        "price_total": SQL("10.0 * k * k"),
        "balance": SQL("-10.0 * k * k"),
        "amount_currency": SQL("-10.0 * k * k"),
        "credit": SQL("10.0 * k * k"),
        "debit": SQL("0"),
    }
    line_columns = _columns(cr, "account_move_line", {"id"})
    cr.execute(
        SQL(
            """INSERT INTO account_move_line (%s)
               SELECT %s FROM account_move_line l, account_move nm, generate_series(1, %s) k
                WHERE l.id = %s AND nm.sequence_prefix = 'BENCH/'""",
            SQL(", ").join(SQL.identifier(column) for column in line_columns),
            SQL(", ").join(line_overrides.get(column, SQL.identifier("l", column)) for column in line_columns),
            LINES_PER_MOVE,
            template_line.id,
        )
    )
    cr.execute(SQL("ANALYZE account_move"))
    cr.execute(SQL("ANALYZE account_move_line"))
    print(f"generated {moves} invoices, {moves * LINES_PER_MOVE} lines in {time.perf_counter() - started:.1f} s")
    return partners


def timed(env, label, func, runs=5):
    timings = []
    result = None
    for _run in range(runs):
        env.invalidate_all()
        started = time.perf_counter()
        result = func()
        timings.append(time.perf_counter() - started)
    best, median = min(timings), statistics.median(timings)
    print(f"{label:<58} best {best:7.3f} s   median {median:7.3f} s")
    return median, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--lines", type=int, default=100000)
    parser.add_argument("--config", default="odoo.conf")
    parser.add_argument("--keep", action="store_true", help="commit the generated data")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partners = generate(env, args.lines)
        date_from, date_to = START, date(START.year + MONTHS // 12 - 1, 12, 31)
        indicator = env["sysengage.indicator"].create(
            {
                "name": "Bench: revenue by customer by month",
                "source": "invoice_line",
                "measure": "revenue",
                "grouping": "customer",
                "period": "month",
                "date_range": "custom",
                "date_from": date_from,
                "date_to": date_to,
                "row_limit": 0,
                "company_id": False,
            }
        )
        env.flush_all()
        spec = indicator._sysengage_get_sources()["invoice_line"]
        domain = indicator._sysengage_get_domain(spec, date_from, date_to)
        Line = env["account.move.line"]
        groupby = ["partner_id", "date:month"]
        timed(env, "warm-up (pivot)", lambda: Line.formatted_read_group(domain, groupby, ["balance:sum"]), runs=1)
        pivot, _ = timed(
            env,
            "Odoo pivot (formatted_read_grouping_sets, 4 sets)",
            lambda: Line.formatted_read_grouping_sets(
                domain, [[], ["partner_id"], ["date:month"], groupby], ["balance:sum"]
            ),
        )
        read_group, groups = timed(
            env,
            "Odoo formatted_read_group (partner x month)",
            lambda: Line.formatted_read_group(domain, groupby, ["balance:sum"]),
        )
        raw, _ = timed(
            env,
            "Odoo _read_group (the SQL under the pivot, no formatting)",
            lambda: Line._read_group(domain, groupby, ["balance:sum"]),
        )
        ours, result = timed(env, "Sysengage indicator (_sysengage_compute)", indicator._sysengage_compute)
        expected = -sum(group["balance:sum"] for group in groups)
        assert abs(result["total"] - expected) < 0.01, (result["total"], expected)
        assert len(result["rows"]) == len(partners)
        print(f"rows {len(result['rows'])}, columns {len(result['columns'])}, total {result['total']:,.2f}")
        print(f"ratio indicator / pivot       : {ours / pivot:.2f}x (target <= 1.5x)")
        print(f"ratio indicator / read_group  : {ours / read_group:.2f}x")
        print(f"ratio indicator / _read_group : {ours / raw:.2f}x")
        print(f"indicator under 3 s           : {'yes' if ours < 3 else 'NO'}")
        if args.keep:
            cr.commit()  # only on request: keep the generated data for manual checks
        else:
            cr.rollback()


if __name__ == "__main__":
    main()
