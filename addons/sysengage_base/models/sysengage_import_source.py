import base64
import logging
import os

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.sysengage_base.tools import address_import as imp

from .sysengage_event_mixin import SysengageEventBuffer

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# partner field fed by each import target (country is converted from its code)
TARGET_TO_PARTNER = {
    "name": "name",
    "is_company": "is_company",
    "ref": "ref",
    "uid": "company_registry",
    "vat": "vat",
    "email": "email",
    "phone": "phone",
    "street": "street",
    "street2": "street2",
    "zip": "zip",
    "city": "city",
    "country": "country_id",
    "website": "website",
}


class SysengageImportSource(models.Model):
    """A saved address source: its column mapping, file format and, for scheduled runs, a file path."""

    _name = "sysengage.import.source"
    _description = "Sysengage Address Import Source"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", default=lambda self: self.env.company, index=True)
    column_ids = fields.One2many("sysengage.import.source.column", "source_id", string="Column Mapping", copy=True)
    encoding = fields.Selection(
        [
            ("auto", "Automatic (UTF-8, else Windows-1252)"),
            ("utf-8", "UTF-8"),
            ("windows-1252", "Windows-1252 (Excel)"),
            ("iso-8859-1", "ISO-8859-1"),
            ("utf-16", "UTF-16"),
        ],
        default="auto",
        required=True,
        help="Encoding of CSV files; XLS and XLSX files carry their own.",
    )
    delimiter = fields.Selection(
        [("auto", "Automatic"), (",", "Comma"), (";", "Semicolon"), ("\t", "Tab"), ("|", "Pipe")],
        string="CSV Separator",
        default="auto",
        required=True,
    )
    strict = fields.Boolean(
        string="Refuse the File on Invalid Rows",
        default=True,
        help="When set, a single rejected row (invalid UID, e-mail, country...) stops the whole import and "
        "nothing is written. Otherwise the valid rows are imported and the rejected ones are logged.",
    )
    file_path = fields.Char(
        string="Server File Path",
        groups="base.group_system",
        help="File read by the scheduled import (a path on the Odoo server).",
    )
    scheduled = fields.Boolean(string="Run by the Scheduler", help="Import the server file at each scheduler run.")
    log_ids = fields.One2many("sysengage.import.log", "source_id", string="Runs")
    log_count = fields.Integer(compute="_compute_log_count", string="Run Count")
    last_run_date = fields.Datetime(readonly=True)

    def _compute_log_count(self):
        counts = dict(
            self.env["sysengage.import.log"]._read_group([("source_id", "in", self.ids)], ["source_id"], ["__count"])
        )
        for source in self:
            source.log_count = counts.get(source, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_base.sysengage_import_log_action")
        action["domain"] = [("source_id", "=", self.id)]
        return action

    def action_run_now(self):
        """Import the server file of the source now (as the scheduler does)."""
        self.ensure_one()
        log = self._run_file(origin="wizard", raise_errors=True)
        return {
            "type": "ir.actions.act_window",
            "res_model": "sysengage.import.log",
            "res_id": log.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Scheduler
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_sources(self):
        sources = self.search([("scheduled", "=", True)])
        # under the scheduler each source is committed on its own (progress tracked by ir.cron); a direct
        # call (server action, shell) stays a single transaction
        scheduler = bool(self.env.context.get("ir_cron_progress_id"))
        if scheduler:
            self.env["ir.cron"]._commit_progress(remaining=len(sources))
        for source in sources:
            source._run_file(origin="cron", raise_errors=False)
            if scheduler and not self.env["ir.cron"]._commit_progress(1):
                break

    def _run_file(self, origin="cron", raise_errors=False):
        """Import the file at ``file_path``; a failure leaves a "failed" log and nothing else."""
        self.ensure_one()
        # file_path is a system-only field; reading it here is the narrow step of a scheduled import
        path = self.sudo().file_path
        filename = os.path.basename(path or "")
        try:
            if not path:
                raise UserError(self.env._("The source %(source)s has no server file path.", source=self.name))
            try:
                with open(path, "rb") as handle:
                    content = handle.read()
            except OSError as error:
                raise UserError(
                    self.env._("Cannot read %(path)s: %(error)s", path=path, error=error.strerror)
                ) from error
            with self.env.cr.savepoint():
                results, headers = self._analyse(content)
                log = self._apply(results, headers, filename, origin=origin)
        except UserError as error:
            if raise_errors:
                raise
            _logger.warning("Address import %s failed: %s", self.name, error)
            log = self.env["sysengage.import.log"].create(
                {
                    "source_id": self.id,
                    "company_id": self.company_id.id or self.env.company.id,
                    "filename": filename,
                    "origin": origin,
                    "state": "failed",
                    "message": str(error.args[0] if error.args else error),
                    **getattr(error, "sysengage_log_vals", {}),
                }
            )
        self.last_run_date = fields.Datetime.now()
        return log

    # ------------------------------------------------------------------
    # Import engine
    # ------------------------------------------------------------------
    def _get_mapping(self):
        """``({target: column title}, {mandatory targets})`` of the source."""
        self.ensure_one()
        mapping = {column.target_field: column.column_name for column in self.column_ids}
        required = {column.target_field for column in self.column_ids if column.required} | {"name"}
        return mapping, required

    def _sysengage_read(self, content):
        """``(headers, rows)`` of a file, or a UserError with a clear message."""
        self.ensure_one()
        delimiter = None if self.delimiter == "auto" else self.delimiter
        try:
            return imp.read_table(content, encoding=self.encoding, delimiter=delimiter)
        except imp.AddressImportError as error:
            raise UserError(self._sysengage_message(error.code, error.params)) from error

    def _analyse(self, content):
        """Read, validate and match every row: ``(results, headers)``; nothing is written."""
        self.ensure_one()
        headers, rows = self._sysengage_read(content)
        mapping, required = self._get_mapping()
        try:
            indexes = imp.check_mapping(headers, mapping, required)
        except imp.AddressImportError as error:
            raise UserError(self._sysengage_message(error.code, error.params)) from error
        country_codes = {code.upper() for code in self.env["res.country"].search([]).mapped("code")}
        results = []
        for number, (raw, values) in enumerate(zip(rows, imp.extract_rows(rows, indexes)), start=2):
            cleaned, reason = imp.clean_row(values, country_codes)
            result = {
                "line": number,
                "raw": raw,
                "values": cleaned or values,
                "partner_id": False,
                "match_by": "",
                "changes": {},
                "status": "rejected",
                "reason": "",
            }
            if reason:
                result["reason"] = self._sysengage_message(*reason)
            else:
                result["status"] = "new"
                result["keys"] = imp.match_keys(cleaned)
            results.append(result)
        self._sysengage_match(results)
        return results, headers

    def _sysengage_match(self, results):
        """Match the valid rows with existing partners, loaded once for all rows by their keys."""
        valid = [result for result in results if result["status"] != "rejected"]
        index, current = self._load_candidates([result["keys"] for result in valid])
        seen = {}
        for result in valid:
            keys = result["keys"]
            primary = next((f"{kind}:{keys[kind]}" for kind in ("uid", "email", "name") if keys[kind]), None)
            if primary and primary in seen:
                result.update(status="rejected", reason=self._sysengage_message("duplicate", {"line": seen[primary]}))
                continue
            if primary:
                seen[primary] = result["line"]
            status, partner_id, match_by, reason = imp.match_row(keys, index)
            result.update(status=status, partner_id=partner_id or False, match_by=match_by)
            if reason:
                result["reason"] = self._sysengage_message(*reason)
            if status == "update":
                result["changes"] = imp.diff_values(current[partner_id], result["values"])
                if not result["changes"]:
                    result["status"] = "unchanged"

    def _load_candidates(self, keys_list):
        """``(index, current values by partner id)`` of the partners sharing a key with the rows (one query)."""
        uids = {keys["uid"] for keys in keys_list if keys["uid"]}
        emails = sorted({keys["email"] for keys in keys_list if keys["email"]})
        zips = sorted({keys["name"].split("|")[1] for keys in keys_list if keys["name"]})
        formatted = set()
        for uid in uids:
            uid_formatted = imp.validate_uid(uid)
            formatted |= {uid, uid_formatted}
            formatted |= {f"{uid_formatted} {suffix}" for suffix in ("MWST", "TVA", "IVA")}
        domains = []
        if formatted:
            domains += [Domain("company_registry", "in", sorted(formatted)), Domain("vat", "in", sorted(formatted))]
        if emails:
            domains.append(Domain("email_normalized", "in", emails))
        if zips:
            domains.append(Domain("zip", "in", zips))
        if not domains:
            return imp.build_index({}), {}
        partners = self.env["res.partner"].search_fetch(Domain.OR(domains), list(TARGET_TO_PARTNER.values()))
        current, keys = {}, {}
        for partner in partners:
            values = self._partner_values(partner)
            current[partner.id] = values
            keys[partner.id] = imp.match_keys(values)
        return imp.build_index(keys), current

    @api.model
    def _partner_values(self, partner):
        """The values of a partner in the shape of an import row (for matching and diffing)."""
        values = {
            target: partner[fname] or ""
            for target, fname in TARGET_TO_PARTNER.items()
            if fname not in ("country_id", "is_company")
        }
        values["uid"] = partner.company_registry or ""
        values["country"] = partner.country_id.code or ""
        values["is_company"] = partner.is_company
        return values

    def _partner_vals(self, values, countries):
        """``res.partner`` values from cleaned row values."""
        vals = {}
        for target, value in values.items():
            if value in ("", None) or target not in TARGET_TO_PARTNER:
                continue
            if target == "country":
                vals["country_id"] = countries[value]
            else:
                vals[TARGET_TO_PARTNER[target]] = value
        return vals

    def _apply(self, results, headers, filename, origin="wizard"):
        """Create and update the partners of the analysed rows in the current transaction; return the log."""
        self.ensure_one()
        rejected = [result for result in results if result["status"] == "rejected"]
        counts = dict.fromkeys(("new", "update", "unchanged", "ambiguous", "rejected"), 0)
        for result in results:
            counts[result["status"]] += 1
        log_vals = {
            "source_id": self.id,
            "company_id": self.company_id.id or self.env.company.id,
            "filename": filename,
            "origin": origin,
            "count_total": len(results),
            "count_new": counts["new"],
            "count_updated": counts["update"],
            "count_unchanged": counts["unchanged"],
            "count_ambiguous": counts["ambiguous"],
            "count_rejected": counts["rejected"],
        }
        log_vals.update(self._rejected_file_vals(results, headers, filename))
        if rejected and self.strict:
            error = UserError(
                self.env._(
                    "%(count)s row(s) of the file are rejected, nothing was imported: %(reasons)s",
                    count=len(rejected),
                    reasons="; ".join(
                        self.env._("line %(line)s: %(reason)s", line=result["line"], reason=result["reason"])
                        for result in rejected[:5]
                    ),
                )
            )
            error.sysengage_log_vals = {key: value for key, value in log_vals.items() if key != "state"}
            raise error
        countries = {country.code.upper(): country.id for country in self.env["res.country"].search([])}
        # bulk mode: the events of all rows are created in batches, and the creation is recorded in the
        # event history rather than as a chatter message per partner
        buffer = SysengageEventBuffer()
        partner_model = self.env["res.partner"].with_context(sysengage_event_buffer=buffer, mail_create_nolog=True)
        new_vals = [self._partner_vals(r["values"], countries) for r in results if r["status"] == "new"]
        for start in range(0, len(new_vals), BATCH_SIZE):
            partner_model.create(new_vals[start : start + BATCH_SIZE])
            self._end_batch(partner_model, buffer)
        updates = [result for result in results if result["status"] == "update"]
        partners = partner_model.browse([result["partner_id"] for result in updates])
        for count, (partner, result) in enumerate(zip(partners, updates), start=1):
            changed = {field: result["values"][field] for field in result["changes"]}
            partner.write(self._partner_vals(changed, countries))
            if count % BATCH_SIZE == 0:
                self._end_batch(partner_model, buffer)
        partner_model._sysengage_flush_events(buffer)
        self.last_run_date = fields.Datetime.now()
        return self.env["sysengage.import.log"].create(log_vals)

    def _end_batch(self, partner_model, buffer):
        """Write the events of the batch and empty the record cache (flushed first), so that a large
        file does not keep every partner in memory; everything stays in the same transaction."""
        partner_model._sysengage_flush_events(buffer)
        self.env.invalidate_all(flush=True)

    def _rejected_file_vals(self, results, headers, filename):
        skipped = [result for result in results if result["status"] in ("rejected", "ambiguous")]
        if not skipped:
            return {}
        status_labels = {"rejected": self.env._("Rejected"), "ambiguous": self.env._("Ambiguous")}
        content = imp.rows_to_csv(
            [self.env._("Line"), self.env._("Status"), self.env._("Reason"), *headers],
            [[r["line"], status_labels[r["status"]], r["reason"], *r["raw"]] for r in skipped],
        )
        base = os.path.splitext(filename or "import")[0]
        return {"rejected_file": base64.b64encode(content), "rejected_filename": f"{base}_rejected.csv"}

    def _sysengage_message(self, code, params):
        """The translated text of an error or rejection code of the import tools."""
        texts = {
            "empty_file": lambda: self.env._("The file is empty."),
            "no_rows": lambda: self.env._("The file holds column titles but no address."),
            "not_spreadsheet": lambda: self.env._("The file is not a spreadsheet: expected a CSV, XLS or XLSX file."),
            "bad_xlsx": lambda: self.env._(
                "The file is not a spreadsheet: it is an archive but not an XLSX workbook (%(error)s).", **params
            ),
            "bad_xls": lambda: self.env._("The XLS file cannot be read: %(error)s", **params),
            "wrong_encoding": lambda: self.env._(
                "The file is not encoded in %(encoding)s (line %(line)s, byte 0x%(byte)s). "
                "Save it as UTF-8 or choose its encoding on the import source.",
                **params,
            ),
            "mojibake": lambda: self.env._(
                "The file looks like UTF-8 read as %(encoding)s (garbled accents on line %(line)s). "
                "Choose UTF-8 as encoding on the import source.",
                **params,
            ),
            "missing_columns": lambda: self.env._(
                "Mandatory column(s) missing from the file: %(columns)s. Columns found: %(found)s.", **params
            ),
            "empty_name": lambda: self.env._("The name is empty."),
            "invalid_uid": lambda: self.env._(
                "Invalid UID %(uid)s (a Swiss UID looks like CHE-123.456.789).", **params
            ),
            "invalid_vat": lambda: self.env._("Invalid VAT number %(vat)s.", **params),
            "vat_uid_mismatch": lambda: self.env._(
                "The VAT number %(vat)s does not belong to the UID %(uid)s.", **params
            ),
            "invalid_email": lambda: self.env._("Invalid e-mail address %(email)s.", **params),
            "unknown_country": lambda: self.env._("Unknown country %(country)s (use the ISO code, e.g. CH).", **params),
            "ambiguous": lambda: self.env._("%(count)s partners share the same %(kind)s (%(key)s).", **params),
            "duplicate": lambda: self.env._("Same partner as line %(line)s of the file.", **params),
        }
        return texts[code]() if code in texts else imp.MESSAGES.get(code, code) % params
