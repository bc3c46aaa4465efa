#!/usr/bin/env python3
"""Benchmark of the Sysengage price table against a plain Odoo pricelist.

Usage (from the repository root, on a database where sysengage_base is installed)::

    python3 bench/sysengage_base_price_rule.py sg_p1 [--rules 100000] [--lines 1000] [--runs 3]

It creates ``--rules`` price rules (bulk SQL inserts, then rolled back: nothing stays in the
database) over 1,000 articles and 200 customers, and as many comparable pricelist items (one
pricelist per customer: its own items, plus category and global items), then prices the same
``--lines`` lines (article, customer, quantity) twice:

* a 1,000-line offer for one customer, and
* a mixed set of lines for many customers,

through ``sysengage.price.rule._sysengage_resolve_prices`` (one batch) and through
``product.pricelist._compute_price_rule`` (one call per pricelist and quantity, as sale does per
order). Caches are emptied before each run; the best of ``--runs`` is printed.
Targets: the table within 2x of the pricelist, and under one second.
"""

import argparse
import random
import time
from collections import defaultdict
from pathlib import Path

import odoo
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

N_PRODUCTS = 1000
N_CUSTOMERS = 200
N_CODES = 20
N_CATEGORIES = 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--rules", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--config", default=str(Path(__file__).resolve().parent.parent / "odoo.conf"))
    return parser.parse_args()


def setup_master_data(env, rng):
    company = env.company
    root = env["product.category"].create({"name": "Bench root"})
    categories = env["product.category"].create(
        [{"name": f"Bench category {index}", "parent_id": root.id} for index in range(N_CATEGORIES)]
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Bench article {index}",
                "lst_price": 10.0 + index % 500,
                "categ_id": categories[index % N_CATEGORIES].id,
            }
            for index in range(N_PRODUCTS)
        ]
    )
    code_type = env["sysengage.grouping.code.type"].create({"name": "Bench", "code": "BENCH"})
    codes = env["sysengage.grouping.code"].create(
        [{"type_id": code_type.id, "code": f"B{index}", "name": f"Bench {index}"} for index in range(N_CODES)]
    )
    customers = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {index}",
                "is_company": True,
                "sysengage_grouping_code_ids": [(6, 0, [codes[index % N_CODES].id])],
            }
            for index in range(N_CUSTOMERS)
        ]
    )
    return company, root, categories, products, codes, customers


def insert_rules(env, rng, count, company, categories, products, codes, customers):
    """Bulk insert of ``count`` rules: 60 % customer+article, 20 % group+article, 10 % customer+category,
    10 % all customers+article with quantity breaks and dates."""
    columns = defaultdict(list)
    for index in range(count):
        kind = index % 10
        customer_scope, partner, code = "all", None, None
        article_scope, template, categ = "product", rng.choice(products).product_tmpl_id.id, None
        min_quantity, date_start, date_end = 0.0, None, None
        if kind < 6:
            customer_scope, partner = "partner", rng.choice(customers).id
        elif kind < 8:
            customer_scope, code = "group", rng.choice(codes).id
        elif kind < 9:
            customer_scope, partner = "partner", rng.choice(customers).id
            article_scope, template, categ = "category", None, rng.choice(categories).id
        else:
            min_quantity = float(rng.choice((5, 10, 50)))
            date_start, date_end = "2020-01-01", "2099-12-31"
        columns["customer_scope"].append(customer_scope)
        columns["partner_id"].append(partner)
        columns["grouping_code_id"].append(code)
        columns["article_scope"].append(article_scope)
        columns["product_tmpl_id"].append(template)
        columns["categ_id"].append(categ)
        columns["min_quantity"].append(min_quantity)
        columns["date_start"].append(date_start)
        columns["date_end"].append(date_end)
        columns["fixed_price"].append(round(rng.uniform(5, 500), 2))
    env.cr.execute(
        SQL(
            """
            INSERT INTO sysengage_price_rule (
                customer_scope, partner_id, grouping_code_id, article_scope, product_tmpl_id, categ_id,
                min_quantity, date_start, date_end, fixed_price, price_type, discount, currency_id, company_id,
                active, tie_detected, create_uid, write_uid, create_date, write_date
            )
            SELECT *, 'fixed', 0, %s, %s, TRUE, FALSE, 1, 1, now(), now()
              FROM unnest(%s::varchar[], %s::int[], %s::int[], %s::varchar[], %s::int[], %s::int[],
                          %s::numeric[], %s::date[], %s::date[], %s::numeric[])
            """,
            company.currency_id.id,
            company.id,
            columns["customer_scope"],
            columns["partner_id"],
            columns["grouping_code_id"],
            columns["article_scope"],
            columns["product_tmpl_id"],
            columns["categ_id"],
            columns["min_quantity"],
            columns["date_start"],
            columns["date_end"],
            columns["fixed_price"],
        )
    )
    # the exact-duplicate random draws would be ties: make every rule unique by its start date
    env.cr.execute(SQL("UPDATE sysengage_price_rule SET date_start = DATE '2000-01-01' + (id %% 9000)"))
    env.cr.execute(SQL("ANALYZE sysengage_price_rule"))


def insert_pricelist_items(env, rng, count, company, categories, products, customers):
    """Comparable pricelist: one pricelist per customer with ``count`` items spread over them
    (90 % article items, 10 % category items), like the table's specific rules."""
    pricelists = env["product.pricelist"].create(
        [{"name": f"Bench {customer.name}", "currency_id": company.currency_id.id} for customer in customers]
    )
    columns = defaultdict(list)
    for index in range(count):
        columns["pricelist_id"].append(rng.choice(pricelists).id)
        if index % 10 == 8:
            columns["applied_on"].append("2_product_category")
            columns["product_tmpl_id"].append(None)
            columns["categ_id"].append(rng.choice(categories).id)
        else:
            columns["applied_on"].append("1_product")
            columns["product_tmpl_id"].append(rng.choice(products).product_tmpl_id.id)
            columns["categ_id"].append(None)
        columns["min_quantity"].append(float(rng.choice((0, 0, 0, 5, 10))))
        columns["fixed_price"].append(round(rng.uniform(5, 500), 2))
    env.cr.execute(
        SQL(
            """
            INSERT INTO product_pricelist_item (
                pricelist_id, applied_on, product_tmpl_id, categ_id, min_quantity, fixed_price,
                display_applied_on, base, compute_price, company_id, currency_id,
                price_discount, price_surcharge, price_round, price_min_margin, price_max_margin,
                create_uid, write_uid, create_date, write_date
            )
            SELECT *, CASE WHEN a = '2_product_category' THEN '2_product_category' ELSE '1_product' END,
                   'list_price', 'fixed', %s, %s, 0, 0, 0, 0, 0, 1, 1, now(), now()
              FROM unnest(%s::int[], %s::varchar[], %s::int[], %s::int[], %s::numeric[], %s::numeric[])
                   AS t(p, a, tmpl, categ, qty, price)
            """,
            company.id,
            company.currency_id.id,
            columns["pricelist_id"],
            columns["applied_on"],
            columns["product_tmpl_id"],
            columns["categ_id"],
            columns["min_quantity"],
            columns["fixed_price"],
        )
    )
    env.cr.execute(SQL("ANALYZE product_pricelist_item"))
    return dict(zip(customers.ids, pricelists))


def time_table(env, lines, runs):
    best = float("inf")
    results = None
    for _run in range(runs):
        env.invalidate_all()
        env.registry.clear_cache()
        start = time.perf_counter()
        results = env["sysengage.price.rule"]._sysengage_resolve_prices(lines)
        best = min(best, time.perf_counter() - start)
    return best, results


def time_pricelist(env, lines, pricelist_of, runs):
    best = float("inf")
    for _run in range(runs):
        env.invalidate_all()
        env.registry.clear_cache()
        start = time.perf_counter()
        batches = defaultdict(lambda: env["product.product"])
        for line in lines:
            batches[(pricelist_of[line["partner"].id].id, line["quantity"])] |= line["product"]
        prices = {}
        for (pricelist_id, quantity), products in batches.items():
            pricelist = env["product.pricelist"].browse(pricelist_id)
            prices[(pricelist_id, quantity)] = pricelist._compute_price_rule(products, quantity)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--db-filter", f"^{args.database}$"])
    registry = Registry(args.database)
    rng = random.Random(19)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
        start = time.perf_counter()
        company, _root, categories, products, codes, customers = setup_master_data(env, rng)
        insert_rules(env, rng, args.rules, company, categories, products, codes, customers)
        pricelist_of = insert_pricelist_items(env, rng, args.rules, company, categories, products, customers)
        env.flush_all()
        setup_time = time.perf_counter() - start
        offer_customer = customers[0]
        offer_lines = [
            {
                "product": rng.choice(products),
                "partner": offer_customer,
                "quantity": float(rng.choice((1, 2, 5, 10, 60))),
            }
            for _index in range(args.lines)
        ]
        mixed_lines = [
            {
                "product": rng.choice(products),
                "partner": rng.choice(customers),
                "quantity": float(rng.choice((1, 5, 60))),
            }
            for _index in range(args.lines)
        ]
        print(f"setup: {args.rules} rules + {args.rules} pricelist items in {setup_time:.1f} s")
        for label, lines in (("one offer (1 customer)", offer_lines), ("mixed customers", mixed_lines)):
            table, results = time_table(env, lines, args.runs)
            pricelist = time_pricelist(env, lines, pricelist_of, args.runs)
            priced = sum(1 for result in results if result)
            print(
                f"{label}: {len(lines)} lines | price table {table * 1000:.0f} ms ({priced} lines from a rule) | "
                f"pricelist {pricelist * 1000:.0f} ms | ratio table/pricelist {table / pricelist:.2f}"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
