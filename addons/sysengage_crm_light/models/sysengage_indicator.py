from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from ..tools.periods import period_keys, period_label, preset_range, previous_range
from ..tools.table import OTHERS, build_table, compare, ratio_table
from ..tools.xlsx import build_workbook

GROUPINGS = ("customer", "customer_group", "product", "product_group", "sales_rep")


class SysengageIndicator(models.Model):
    _name = "sysengage.indicator"
    _description = "Sysengage Indicator"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    source = fields.Selection(selection="_selection_source", required=True, default="invoice_line")
    source_model = fields.Char(compute="_compute_source_model")
    source_available = fields.Boolean(compute="_compute_source_model")
    measure = fields.Selection(
        [
            ("revenue", "Revenue"),
            ("margin", "Margin"),
            ("quantity", "Quantity"),
            ("count", "Count"),
            ("recurring_revenue", "Recurring revenue"),
            ("conversion_rate", "Conversion rate (%)"),
        ],
        required=True,
        default="revenue",
    )
    grouping = fields.Selection(
        [
            ("none", "No grouping"),
            ("customer", "Customer"),
            ("customer_group", "Customer group (grouping code)"),
            ("product", "Product"),
            ("product_group", "Product group"),
            ("sales_rep", "Sales rep"),
        ],
        required=True,
        default="customer",
    )
    grouping_code_type_id = fields.Many2one(
        "sysengage.grouping.code.type",
        string="Grouping code type",
        help="Only the grouping codes of this type are shown; empty shows every code.",
    )
    period = fields.Selection(
        [("none", "No period"), ("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        string="Period columns",
        required=True,
        default="none",
    )
    date_range = fields.Selection(
        [
            ("all", "All dates"),
            ("this_month", "This month"),
            ("last_month", "Last month"),
            ("this_quarter", "This quarter"),
            ("this_year", "This year"),
            ("last_year", "Last year"),
            ("last_12_months", "Last 12 months"),
            ("custom", "Custom"),
        ],
        required=True,
        default="this_year",
    )
    date_from = fields.Date()
    date_to = fields.Date()
    filter_domain = fields.Char(string="Filters", default="[]")
    comparison = fields.Selection(
        [("none", "No comparison"), ("previous_period", "Previous period"), ("previous_year", "Same period last year")],
        required=True,
        default="none",
    )
    chart_type = fields.Selection([("bar", "Bar"), ("line", "Line"), ("pie", "Pie")], required=True, default="bar")
    row_limit = fields.Integer(
        string="Rows shown", default=10, help="Further rows are summed as 'Others'; 0 shows all."
    )
    is_pinned = fields.Boolean(string="Pinned on dashboard")
    color = fields.Integer()
    result_data = fields.Json(compute="_compute_result_data", string="Result")
    total_display = fields.Char(compute="_compute_result_data", string="Total")

    _row_limit_positive = models.Constraint("CHECK(row_limit >= 0)", "The number of rows shown cannot be negative.")

    # ------------------------------------------------------------------
    # Sources
    # ------------------------------------------------------------------
    @api.model
    def _get_source_specs(self):
        """Extraction sources, keyed by code, as declared by the addon that owns their model.

        Each source names its label, model, a base domain, the date field and, per grouping, the
        field path grouped on; per measure the field summed and its sign, or ``__count``;
        ``measure_domains`` restricts a measure to some records, ``won_domain`` gives the
        conversion rate. Bridges add theirs with ``super()`` (offers and order lines in
        ``sysengage_crm_light_sale``, contracts and recurring revenue in
        ``sysengage_crm_light_contracts``); ``sequence`` orders them in the selection.
        """
        return {
            "invoice_line": {
                "label": self.env._("Invoice lines"),
                "sequence": 10,
                "model": "account.move.line",
                "domain": [
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                    ("display_type", "=", "product"),
                ],
                "date": "date",
                "customer": "partner_id",
                "product": "product_id",
                "product_group": "product_id.categ_id",
                "sales_rep": "move_id.invoice_user_id",
                "measures": {
                    "revenue": ("balance", -1),
                    "quantity": ("quantity", 1),
                    "count": ("__count", 1),
                },
            },
            "opportunity": {
                "label": self.env._("Opportunities"),
                "sequence": 50,
                "model": "crm.lead",
                "domain": [("type", "=", "opportunity")],
                "date": "create_date",
                "customer": "partner_id",
                "sales_rep": "user_id",
                "measures": {"revenue": ("expected_revenue", 1), "count": ("__count", 1)},
                "won_domain": [("won_status", "=", "won")],
            },
            "activity": {
                "label": self.env._("Activities"),
                "sequence": 60,
                "model": "mail.activity",
                "domain": [],
                "date": "date_deadline",
                "sales_rep": "user_id",
                "measures": {"count": ("__count", 1)},
            },
        }

    @api.model
    def _sysengage_get_sources(self):
        """The declared sources, completed: customer groups, and only stored measure fields.

        A measure field another addon adds (e.g. ``margin`` of ``sale_margin`` on order lines)
        is offered only when that field is there and stored.
        """
        specs = self._get_source_specs()
        available = {}
        for code in sorted(specs, key=lambda code: specs[code].get("sequence", 100)):
            spec = dict(specs[code])
            model = self.env[spec["model"]]
            if spec.get("customer") and self._path_exists(
                spec["model"], spec["customer"] + ".sysengage_grouping_code_ids"
            ):
                spec["customer_group"] = spec["customer"] + ".sysengage_grouping_code_ids"
            spec["measures"] = {
                measure: (fname, sign)
                for measure, (fname, sign) in spec["measures"].items()
                if fname == "__count" or (fname in model._fields and model._fields[fname].store)
            }
            if spec.get("won_domain"):
                spec["measures"]["conversion_rate"] = ("__count", 1)
            available[code] = spec
        return available

    @api.model
    def _path_exists(self, model_name, path):
        model = self.env[model_name]
        names = path.split(".")
        for index, name in enumerate(names):
            field = model._fields.get(name)
            if field is None:
                return False
            if index < len(names) - 1:
                if field.type != "many2one":
                    return False
                model = self.env[field.comodel_name]
        return True

    @api.model
    def _selection_source(self):
        return [(code, spec["label"]) for code, spec in self._sysengage_get_sources().items()]

    # ------------------------------------------------------------------
    # Constraints and computes
    # ------------------------------------------------------------------
    @api.constrains("source", "measure", "grouping", "period", "comparison", "date_range", "date_from", "date_to")
    def _check_definition(self):
        sources = self._sysengage_get_sources()
        for indicator in self:
            spec = sources.get(indicator.source)
            if not spec:
                continue  # a source whose module was uninstalled: the indicator shows nothing
            if indicator.measure not in spec["measures"]:
                raise ValidationError(
                    self.env._(
                        "The measure %(measure)s is not available on %(source_name)s.",
                        measure=indicator._fields["measure"].convert_to_export(indicator.measure, indicator),
                        source_name=spec["label"],
                    )
                )
            if indicator.grouping != "none" and not spec.get(indicator.grouping):
                raise ValidationError(
                    self.env._(
                        "%(source_name)s cannot be grouped by %(grouping)s.",
                        source_name=spec["label"],
                        grouping=indicator._fields["grouping"].convert_to_export(indicator.grouping, indicator),
                    )
                )
            if indicator.date_range == "custom" and not (indicator.date_from and indicator.date_to):
                raise ValidationError(self.env._("A custom date range needs a start and an end date."))
            if indicator.date_from and indicator.date_to and indicator.date_from > indicator.date_to:
                raise ValidationError(self.env._("The date range of an indicator ends before it starts."))
            if indicator.comparison != "none" and indicator.date_range == "all":
                raise ValidationError(self.env._("A comparison needs a date range other than 'All dates'."))

    @api.constrains("filter_domain", "source")
    def _check_filter_domain(self):
        for indicator in self:
            if indicator.source_available:
                try:
                    self.env[indicator.source_model].search_count(indicator._get_filter_domain(), limit=1)
                except Exception as error:
                    raise ValidationError(
                        self.env._("The filters of %(name)s are not valid: %(error)s", name=indicator.name, error=error)
                    ) from error

    @api.depends("source")
    def _compute_source_model(self):
        sources = self._sysengage_get_sources()
        for indicator in self:
            spec = sources.get(indicator.source)
            indicator.source_model = spec["model"] if spec else False
            indicator.source_available = bool(spec)

    @api.depends(
        "source",
        "measure",
        "grouping",
        "grouping_code_type_id",
        "period",
        "date_range",
        "date_from",
        "date_to",
        "filter_domain",
        "comparison",
        "chart_type",
        "row_limit",
    )
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_result_data(self):
        for indicator in self:
            if not indicator.source_available or not indicator.source:
                indicator.result_data = {}
                indicator.total_display = ""
                continue
            if not self.env[indicator.source_model].has_access("read"):
                # e.g. a sales rep without accounting rights on an invoice-line indicator
                indicator.result_data = {"no_access": True, "title": indicator.name}
                indicator.total_display = ""
                continue
            result = indicator._sysengage_compute()
            indicator.result_data = result
            indicator.total_display = indicator._sysengage_format_value(result["total"])

    @api.onchange("source")
    def _onchange_source(self):
        spec = self._sysengage_get_sources().get(self.source)
        if not spec:
            return
        if self.measure not in spec["measures"]:
            self.measure = next(iter(spec["measures"]))
        if self.grouping != "none" and not spec.get(self.grouping):
            self.grouping = "none"
        self.filter_domain = "[]"

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    def _get_filter_list(self):
        self.ensure_one()
        return safe_eval(self.filter_domain or "[]", {"uid": self.env.uid})

    def _get_filter_domain(self):
        return Domain(self._get_filter_list())

    def _get_range(self):
        """(date_from, date_to) of the indicator, None for an open bound; dates in the user's time zone."""
        self.ensure_one()
        if self.date_range == "custom":
            return self.date_from, self.date_to
        return preset_range(self.date_range, fields.Date.context_today(self))

    def _sysengage_get_domain(self, spec, date_from, date_to):
        domain = Domain(spec["domain"]) & self._get_filter_domain()
        domain &= Domain(spec.get("measure_domains", {}).get(self.measure, []))
        if date_from:
            domain &= Domain(spec["date"], ">=", date_from)
        if date_to:
            domain &= Domain(spec["date"], "<", date_to + timedelta(days=1))
        return domain

    def _sysengage_get_action_domain(self, spec, date_from, date_to):
        """The same domain as a JSON-serialisable list, for a window action."""
        domain = list(spec["domain"]) + list(spec.get("measure_domains", {}).get(self.measure, []))
        domain += list(self._get_filter_list())
        if date_from:
            domain.append((spec["date"], ">=", fields.Date.to_string(date_from)))
        if date_to:
            domain.append((spec["date"], "<", fields.Date.to_string(date_to + timedelta(days=1))))
        return domain

    def _read_cells(self, spec, domain, with_period=True):
        """[(row key, column key, value)] grouped in SQL by ``_read_group``, row keys being ids."""
        self.ensure_one()
        model = self.env[spec["model"]]
        groupby = []
        if self.grouping != "none":
            groupby.append(spec[self.grouping])
        if with_period and self.period != "none":
            groupby.append(f"{spec['date']}:{self.period}")
        fname, sign = spec["measures"][self.measure]
        aggregate = "__count" if fname == "__count" else f"{fname}:sum"
        groups = model._read_group(domain, groupby, [aggregate])
        code_type = self.grouping == "customer_group" and self._get_code_type()
        cells = []
        for group in groups:
            values = list(group)
            value = (values.pop() or 0.0) * sign
            row = values.pop(0) if self.grouping != "none" else True
            column = values.pop(0) if with_period and self.period != "none" else True
            if self.grouping != "none":
                if code_type and row and row.type_id != code_type:
                    continue
                row = row.id if row else False
            if column is not True and column:
                column = fields.Date.to_date(column)
            cells.append((row, column, value))
        return cells

    def _get_code_type(self):
        """The grouping code type the customer groups are restricted to (empty: every type)."""
        return self.grouping_code_type_id

    def _sysengage_table(self, spec, date_from, date_to, with_period=True, columns=None, limit=0):
        domain = self._sysengage_get_domain(spec, date_from, date_to)
        table = build_table(self._read_cells(spec, domain, with_period), columns=columns, limit=limit)
        if self.measure == "conversion_rate":
            won = build_table(self._read_cells(spec, domain & Domain(spec["won_domain"]), with_period), columns=columns)
            table = ratio_table(_project(won, table), table)
        return table

    def _sysengage_compute(self):
        """The indicator's figures as a JSON-ready dict: labels, rows, totals, comparison, chart."""
        self.ensure_one()
        spec = self._sysengage_get_sources()[self.source]
        date_from, date_to = self._get_range()
        columns = None
        if self.period != "none" and date_from and date_to:
            columns = period_keys(date_from, date_to, self.period)
        table = self._sysengage_table(spec, date_from, date_to, columns=columns, limit=self.row_limit)
        previous = None
        previous_range_dates = None
        if self.comparison != "none" and date_from and date_to:
            previous_range_dates = previous_range(date_from, date_to, self.comparison)
            previous = self._sysengage_table(spec, *previous_range_dates, with_period=False)
        row_labels = self._row_labels(spec, table["rows"])
        column_labels = [self._column_label(column) for column in table["columns"]]
        rows = []
        for row in table["rows"]:
            line = {
                "key": row if row is not OTHERS else "others",
                "label": row_labels[row],
                "values": [table["matrix"][row][column] for column in table["columns"]],
                "total": table["row_totals"][row],
            }
            if previous is not None:
                previous_value = self._previous_value(previous, row, table["rows"])
                line["previous"] = previous_value
                line["delta"], line["delta_pct"] = compare(line["total"], previous_value)
            rows.append(line)
        result = {
            "title": self.name,
            "measure": self.measure,
            "grouping_label": self._selection_label("grouping", self.grouping),
            "columns": column_labels,
            "rows": rows,
            "column_totals": [table["column_totals"][column] for column in table["columns"]],
            "total": table["total"],
            "is_rate": self.measure == "conversion_rate",
            "chart_type": self.chart_type,
            "date_from": fields.Date.to_string(date_from) if date_from else False,
            "date_to": fields.Date.to_string(date_to) if date_to else False,
        }
        if previous is not None:
            result["previous_total"] = previous["total"]
            result["delta"], result["delta_pct"] = compare(table["total"], previous["total"])
            result["previous_from"] = fields.Date.to_string(previous_range_dates[0])
            result["previous_to"] = fields.Date.to_string(previous_range_dates[1])
        result["chart"] = self._chart_data(result)
        return result

    def _previous_value(self, previous, row, current_rows):
        if row is OTHERS:
            shown = set(current_rows) - {OTHERS}
            if self.measure == "conversion_rate":
                return None
            return sum(value for key, value in previous["row_totals"].items() if key not in shown)
        return previous["row_totals"].get(row, 0.0)

    def _row_labels(self, spec, rows):
        labels = {OTHERS: self.env._("Others"), False: self.env._("None"), True: self.env._("Total")}
        if self.grouping == "none":
            return labels
        model = self.env[spec["model"]]
        comodel_name = None
        for index, name in enumerate(spec[self.grouping].split(".")):
            field = model._fields[name]
            comodel_name = field.comodel_name
            if index < len(spec[self.grouping].split(".")) - 1:
                model = self.env[comodel_name]
        ids = [row for row in rows if isinstance(row, int) and not isinstance(row, bool)]
        for record in self.env[comodel_name].browse(ids):
            labels[record.id] = record.display_name
        return labels

    def _column_label(self, column):
        if column is True:
            return self.env._("Total")
        if not column:
            return self.env._("No date")
        return period_label(column, self.period)

    def _selection_label(self, fname, value):
        return dict(self._fields[fname]._description_selection(self.env)).get(value, "")

    def _chart_data(self, result):
        """Chart.js-ready data: labels and datasets."""
        rows = result["rows"]
        if self.chart_type == "pie" or self.period == "none" or self.grouping == "none" and not result["columns"]:
            if self.grouping == "none" and self.period != "none":
                labels = result["columns"]
                datasets = [{"label": self.name, "data": result["column_totals"]}]
            else:
                labels = [row["label"] for row in rows]
                datasets = [{"label": self.name, "data": [row["total"] for row in rows]}]
                if self.chart_type != "pie" and result.get("previous_total") is not None:
                    datasets.append(
                        {"label": self.env._("Previous period"), "data": [row.get("previous") or 0.0 for row in rows]}
                    )
        elif self.grouping == "none":
            labels = result["columns"]
            datasets = [{"label": self.name, "data": result["column_totals"]}]
        else:
            labels = result["columns"]
            datasets = [{"label": row["label"], "data": row["values"]} for row in rows]
        return {"type": self.chart_type, "labels": labels, "datasets": datasets}

    def _sysengage_format_value(self, value):
        self.ensure_one()
        if self.measure == "conversion_rate":
            return f"{value:.1f} %"
        if self.measure in ("count", "quantity"):
            return f"{value:,.0f}".replace(",", "'")
        currency = self.company_id.currency_id or self.env.company.currency_id
        return f"{currency.symbol} {currency.round(value):,.2f}".replace(",", "'")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_records(self):
        """The source records behind the indicator, in a graph view grouped like the indicator."""
        self.ensure_one()
        spec = self._sysengage_get_sources().get(self.source)
        if not spec:
            raise UserError(self.env._("The source of this indicator is not installed."))
        date_from, date_to = self._get_range()
        groupbys = []
        if self.grouping != "none":
            groupbys.append(spec[self.grouping])
        if self.period != "none":
            groupbys.append(f"{spec['date']}:{self.period}")
        fname, sign = spec["measures"][self.measure]
        context = {"graph_groupbys": groupbys, "pivot_row_groupby": groupbys[:1], "group_by": groupbys[:1]}
        if fname != "__count" and sign > 0:
            context.update(graph_measure=fname, pivot_measures=[fname])
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": spec["model"],
            "views": [(False, "graph"), (False, "pivot"), (False, "list")],
            "domain": self._sysengage_get_action_domain(spec, date_from, date_to),
            "context": context,
        }

    def action_export_xlsx(self):
        """Download the indicator as an Excel workbook holding the table and a native chart."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/sysengage_crm_light/indicator/{self.id}/xlsx",
            "target": "download",
        }

    def _xlsx_content(self):
        self.ensure_one()
        if not self.source_available:
            raise UserError(self.env._("The source of this indicator is not installed."))
        self.env[self.source_model].check_access("read")
        result = self.result_data or self._sysengage_compute()
        total_label = self.env._("Total")
        header = [result["grouping_label"] or self.name, *result["columns"]]
        has_columns = len(result["columns"]) > 1 or self.period != "none"
        if has_columns:
            header.append(total_label)
        compare_columns = result.get("previous_total") is not None
        if compare_columns:
            header += [self.env._("Previous period"), self.env._("Change %")]
        rows = []
        for row in result["rows"]:
            line = [row["label"], *row["values"]]
            if has_columns:
                line.append(row["total"])
            if compare_columns:
                line += [row.get("previous"), row.get("delta_pct")]
            rows.append(line)
        totals = [total_label, *result["column_totals"]]
        if has_columns:
            totals.append(result["total"])
        if compare_columns:
            totals += [result["previous_total"], result.get("delta_pct")]
        value_columns = len(result["columns"])
        if has_columns and self.chart_type != "pie":
            series = list(range(2, 2 + value_columns))
        else:
            series = [2 + value_columns if has_columns else 2]
        return build_workbook(
            self.name,
            header,
            rows,
            totals,
            chart_type=self.chart_type,
            series_columns=series,
            number_format="0.0" if self.measure == "conversion_rate" else "#,##0.00",
        )

    def action_toggle_pin(self):
        for indicator in self:
            indicator.is_pinned = not indicator.is_pinned
        return True


def _project(table, onto):
    """``table`` restricted to the rows of ``onto``, the rows folded into "Others" summed together."""
    rows = onto["rows"]
    if OTHERS not in rows:
        return table
    shown = set(rows) - {OTHERS}
    matrix = {row: dict(values) for row, values in table["matrix"].items() if row in shown}
    row_totals = {row: value for row, value in table["row_totals"].items() if row in shown}
    others = {}
    for row, values in table["matrix"].items():
        if row not in shown:
            for column, value in values.items():
                others[column] = others.get(column, 0.0) + value
    matrix[OTHERS] = others
    row_totals[OTHERS] = sum(others.values())
    return dict(table, matrix=matrix, row_totals=row_totals)
