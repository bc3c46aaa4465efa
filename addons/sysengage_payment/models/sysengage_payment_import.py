import base64
import datetime
import logging
from collections import defaultdict

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import camt
from .sysengage_payment_import_line import CHUNK_SIZE, check_internal, internal_write

_logger = logging.getLogger(__name__)

# a click books at most this many transactions in the user's request (about 10 s); a larger file is booked by the
# background job, chunk by chunk, each chunk committed (an HTTP worker is stopped after 60 s of CPU by default)
BOOK_NOW_MAX = CHUNK_SIZE

# what PostgreSQL raises when another transaction changed or locked a row this one writes after its snapshot (e.g.
# another worker or a user paid one of the invoices meanwhile): the errors Odoo retries a request on
CONCURRENCY_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.LockNotAvailable,
)
# a chunk rolled back by a concurrent update is booked again in a new transaction at most this many times per file
# and run of the background job; then the file waits, still queued, for the next run
CONCURRENT_UPDATE_RETRIES = 3
# the two scheduled actions of the background booking (two cron workers, see ``_cron_book_queued``)
BOOKING_CRONS = (
    "sysengage_payment.ir_cron_sysengage_payment_book",
    "sysengage_payment.ir_cron_sysengage_payment_book_2",
)
# the transactions a click or the background job has left to do: to book, or booked and to reconcile
TO_BOOK_OR_RECONCILE = ["|", ("state", "=", "to_book"), ("reconcile_line_id", "!=", False)]


class SysengagePaymentImport(models.Model):
    """One imported bank file (camt.054 notification or camt.053 statement) and its transactions."""

    _name = "sysengage.payment.import"
    _description = "Bank file import"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Message", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    journal_id = fields.Many2one(
        "account.journal",
        string="Bank journal",
        required=True,
        readonly=True,
        check_company=True,
        domain="[('type', '=', 'bank')]",
    )
    file_name = fields.Char(readonly=True)
    file_hash = fields.Char(string="File SHA-256", required=True, readonly=True, index=True)
    message_type = fields.Selection(
        [("camt.054", "camt.054 (notification)"), ("camt.053", "camt.053 (statement)")],
        string="Message type",
        required=True,
        readonly=True,
    )
    version = fields.Char(readonly=True)
    account_iban = fields.Char(string="Account", readonly=True)
    bank_date = fields.Datetime(string="Created by the bank", readonly=True)
    line_ids = fields.One2many("sysengage.payment.import.line", "import_id", string="Transactions")
    skipped_count = fields.Integer(
        string="Already imported",
        readonly=True,
        help="Transactions of this file that an earlier file already brought in: they were not taken again.",
    )
    # counted by the database when read, not stored: the background job's steps change the transactions of one
    # file side by side and would otherwise all update the file's row (a serialisation conflict between them)
    line_count = fields.Integer(compute="_compute_counts")
    to_book_count = fields.Integer(string="To book", compute="_compute_counts")
    unmatched_count = fields.Integer(string="Not matched", compute="_compute_counts")
    booked_count = fields.Integer(string="Booked", compute="_compute_counts")
    reconcile_count = fields.Integer(
        string="To reconcile",
        compute="_compute_counts",
        help="Booked transactions whose reconciliation with their invoice is still to be done.",
    )
    state = fields.Selection(
        [("review", "To review"), ("done", "Done")], compute="_compute_counts", search="_search_state"
    )
    booking_user_id = fields.Many2one(
        "res.users",
        string="Booking in the background for",
        readonly=True,
        index="btree_not_null",
        help="The matched transactions are being booked by the background job, with the rights of this user.",
    )
    booking_error = fields.Char(string="Background booking stopped", readonly=True)

    _file_unique = models.Constraint(
        "UNIQUE(company_id, file_hash)", "This bank file has already been imported in this company."
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_internal(self.env)
        return super().create(vals_list)

    def write(self, vals):
        check_internal(self.env)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_booked(self):
        if any(record.booked_count for record in self):
            raise UserError(self.env._("A bank file with booked transactions cannot be deleted."))

    def _compute_counts(self):
        # counted by the database (a file holds thousands of transactions: not read into the cache for a count)
        Line = self.env["sysengage.payment.import.line"]
        counts = defaultdict(int)
        pending = {}
        if self.ids:
            for record, state, count in Line._read_group(
                [("import_id", "in", self.ids)], ["import_id", "state"], ["__count"]
            ):
                counts[record.id, state] = count
            pending = dict(
                Line._read_group(
                    [("import_id", "in", self.ids), ("reconcile_line_id", "!=", False)], ["import_id"], ["__count"]
                )
            )
        for record in self:
            record.to_book_count = counts[record.id, "to_book"]
            record.unmatched_count = counts[record.id, "unmatched"]
            record.booked_count = counts[record.id, "booked"]
            record.line_count = record.to_book_count + record.unmatched_count + record.booked_count
            record.reconcile_count = pending.get(record, 0)
            record.state = "done" if record.booked_count == record.line_count else "review"

    def _search_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        # to review: a transaction of the file is not booked yet
        review = Domain("line_ids", "any", [("state", "in", ("to_book", "unmatched"))])
        domain = Domain.FALSE
        if "review" in value:
            domain |= review
        if "done" in value:
            domain |= ~review
        return domain if operator == "in" else ~domain

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_book_matched(self):
        """Book and reconcile every matched transaction of these files: at once when they are few, else by the
        background job (chunks of whole bank entries, each committed), with the rights of the user who asked."""
        # counted by the database: a file queued for the background job is not read into the user's request
        Line = self.env["sysengage.payment.import.line"]
        domain = [("import_id", "in", self.ids), *TO_BOOK_OR_RECONCILE]
        count = Line.search_count(domain)
        if count <= BOOK_NOW_MAX:
            if any(self.mapped("booking_error")):
                with internal_write():
                    self.write({"booking_error": False})
            lines = Line.search(domain)
            # what a stopped background booking left booked but not reconciled, then the rest
            lines.filtered("reconcile_line_id")._reconcile_booked()
            lines.filtered(lambda line: line.state == "to_book")._book()
            return True
        with internal_write():
            self.write({"booking_user_id": self.env.user.id, "booking_error": False})
        self.env.ref("sysengage_payment.ir_cron_sysengage_payment_book")._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Booking in the background"),
                "message": self.env._(
                    "%(count)s matched transactions are booked in the background; the bank file shows the "
                    "progress and is done when all are booked.",
                    count=count,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_book_queued(self):
        """Book the files queued by ``action_book_matched`` in two kinds of steps, each one transaction:

        - a **booking** step creates and posts the statement lines of the next chunk of whole bank entries of a
          file; the file's row is locked (``FOR UPDATE SKIP LOCKED``) for it, and the bank journal's numbering
          only from the posting to the commit;
        - a **reconciliation** step reconciles booked transactions with their invoices; its transactions are
          locked (``FOR UPDATE SKIP LOCKED``), not the file: two workers reconcile side by side, or one reconciles
          while the other books the next chunk.

        The scheduled action has a twin (``..._book_2``) that runs this method in a second cron worker: each wakes
        the other when there is work for two. Steps are taken reconciliation first, so that the invoices show paid
        chunk by chunk. Each step runs with the rights of the user who asked, then is committed with the lines it
        changed: a crash loses at most the current step, which the next run does again (a line is booked once,
        reconciled once). A step refused by the accounting (an invoice paid meanwhile, a closed period) stops the
        file's background booking with the reason shown on the file; nothing of that step is written. A step
        rolled back by a concurrent update (another transaction changed one of its invoices after this one's
        snapshot) is done again in a new transaction, up to ``CONCURRENT_UPDATE_RETRIES`` times per file in this
        run; then the file stays queued for the next run and this run goes on with the other files.
        """
        IrCron = self.env["ir.cron"]
        if self._count_queued() > CHUNK_SIZE:
            self._wake_other_booking_worker()
        conflicts = defaultdict(int)  # steps of each file rolled back by a concurrent update in this run
        while True:
            waiting = [file_id for file_id, count in conflicts.items() if count > CONCURRENT_UPDATE_RETRIES]
            try:
                with self.env.cr.savepoint(flush=False):
                    step = self._lock_next_step(waiting)
            except psycopg2.errors.SerializationFailure:
                # another worker committed a step of this file after our snapshot: start a new transaction
                IrCron._commit_progress(0)
                continue
            if not step:
                # on this transaction's snapshot, taken after the last commit of this worker: a file whose last
                # steps two workers took side by side is seen done by the one that commits last
                self._finish_queued_files()
                return
            record, kind, line_ids = step
            if kind == "reconcile":
                done = record._reconcile_queued_chunk(line_ids)
            else:
                done = record._book_queued_chunk(line_ids)
                if done:
                    self._wake_other_booking_worker()  # its reconciliation can start beside the next booking
            self._finish_queued_files()
            remaining = self._count_queued()
            if done is None:
                conflicts[record.id] += 1
                # nothing was written: end this transaction (and its snapshot) before the step is tried again; the
                # remaining count has the scheduler run the job again soon if the file has to wait
                time_left = IrCron._commit_progress(0, remaining=remaining)
            else:
                time_left = IrCron._commit_progress(done, remaining=remaining)
            self.env.invalidate_all()
            if time_left <= 0:
                return

    @api.model
    def _count_queued(self):
        """How many transactions of the queued files are left to book or to reconcile (counted by the database)."""
        return self.env["sysengage.payment.import.line"].search_count(
            [("import_id.booking_user_id", "!=", False), *TO_BOOK_OR_RECONCILE]
        )

    @api.model
    def _lock_next_step(self, waiting):
        """The next step of the background booking that no other transaction holds, locked for this one:
        ``(file, "reconcile" or "book", transaction ids)``, or ``None``. ``waiting``: the ids of the files left for
        the next run.

        A booking step is a chunk of whole bank entries (:meth:`_booking_chunks`), locked by its first transaction
        (``FOR UPDATE SKIP LOCKED``: every worker cuts the file's transactions to book into the same chunks, and
        skips the chunks another one holds), then the rest of its transactions. A chunk another worker booked after
        this transaction's snapshot raises a serialisation failure here: the caller starts a new transaction."""
        Line = self.env["sysengage.payment.import.line"]
        rows = self.env.execute_query(
            SQL(
                "SELECT line.import_id, line.id FROM sysengage_payment_import_line line "
                "JOIN sysengage_payment_import file ON file.id = line.import_id "
                "WHERE line.reconcile_line_id IS NOT NULL AND file.booking_user_id IS NOT NULL "
                "AND line.import_id != ALL(%s) ORDER BY line.import_id, line.id LIMIT %s "
                "FOR UPDATE OF line SKIP LOCKED",
                waiting,
                CHUNK_SIZE,
                to_flush=[Line._fields["reconcile_line_id"], self._fields["booking_user_id"]],
            )
        )
        if rows:
            file_id = rows[0][0]
            return self.browse(file_id), "reconcile", [line_id for import_id, line_id in rows if import_id == file_id]
        files = self.search([("booking_user_id", "!=", False), ("id", "not in", waiting)], order="id")
        for record in files:
            for chunk in record._booking_chunks():
                first = self.env.execute_query(
                    SQL(
                        "SELECT id FROM sysengage_payment_import_line WHERE id = %s AND state = 'to_book' "
                        "FOR UPDATE SKIP LOCKED",
                        chunk[0],
                    )
                )
                if first:
                    self.env.execute_query(
                        SQL("SELECT id FROM sysengage_payment_import_line WHERE id IN %s FOR UPDATE", tuple(chunk))
                    )
                    return record, "book", chunk
        return None

    def _booking_chunks(self):
        """The transactions of this file to book, cut into the chunks of the background job (lists of ids): the
        first ``CHUNK_SIZE`` transactions by id and the rest of every bank entry they begin (a bank entry is booked
        as one statement line, see ``sysengage.payment.import.line._entry_key``), then the same on what is left."""
        self.ensure_one()
        Line = self.env["sysengage.payment.import.line"]
        rows = self.env.execute_query(
            SQL(
                "SELECT id, entry_ref, date FROM sysengage_payment_import_line "
                "WHERE import_id = %s AND state = 'to_book' ORDER BY id",
                self.id,
                to_flush=[Line._fields["state"], Line._fields["import_id"]],
            )
        )
        keys = [Line._entry_key_of(line_id, self.id, entry_ref, date) for line_id, entry_ref, date in rows]
        left = list(range(len(rows)))
        while left:
            head = left[:CHUNK_SIZE]
            head_keys = {keys[index] for index in head}
            rest = [index for index in left[CHUNK_SIZE:] if keys[index] in head_keys]
            yield [rows[index][0] for index in head + rest]
            taken = set(rest)
            left = [index for index in left[CHUNK_SIZE:] if index not in taken]

    @api.model
    def _finish_queued_files(self):
        """Take the queued files with nothing left to book or reconcile off the queue (those another transaction
        holds are left to it)."""
        Line = self.env["sysengage.payment.import.line"]
        try:
            with self.env.cr.savepoint(flush=False):
                rows = self.env.execute_query(
                    SQL(
                        "SELECT id FROM sysengage_payment_import WHERE booking_user_id IS NOT NULL "
                        "AND NOT EXISTS (SELECT 1 FROM sysengage_payment_import_line line "
                        "WHERE line.import_id = sysengage_payment_import.id "
                        "AND (line.state = 'to_book' OR line.reconcile_line_id IS NOT NULL)) "
                        "FOR UPDATE SKIP LOCKED",
                        to_flush=[
                            self._fields["booking_user_id"],
                            Line._fields["state"],
                            Line._fields["reconcile_line_id"],
                        ],
                    )
                )
        except psycopg2.errors.SerializationFailure:
            return  # another worker changed the file after our snapshot: it takes it off the queue
        if rows:
            with internal_write():
                self.browse([row[0] for row in rows]).write({"booking_user_id": False})

    @api.model
    def _wake_other_booking_worker(self):
        """Run by one of the two booking scheduled actions: wake the other one (when active), so that a second
        cron worker takes the steps this one does not hold. Nothing outside a scheduled action (a direct call)."""
        crons = self.env.ref(BOOKING_CRONS[0], raise_if_not_found=False) | self.env.ref(
            BOOKING_CRONS[1], raise_if_not_found=False
        )
        current = self.env.context.get("cron_id")
        if current not in crons.ids:
            return
        for cron in crons:
            if cron.id != current and cron.active:
                cron._trigger()

    def _booking_line_model(self):
        """The transactions model as the user who queued this file, in their language and company (the notes on
        the invoices and the reason of a refusal read as after a click)."""
        user = self.booking_user_id
        return (
            self.env["sysengage.payment.import.line"]
            .with_user(user)
            .with_company(self.company_id)
            .with_context(lang=user.lang)
        )

    def _run_queued_step(self, step, size):
        """Run ``step`` (a function without arguments) of this queued file in a savepoint; returns ``size``, 0 when
        the accounting refused it (the file's background booking stops with the reason), or ``None`` when a
        concurrent update rolled it back (the file stays queued: the step is to be done again in a new
        transaction, which sees that update)."""
        try:
            with self.env.cr.savepoint():
                step()
        except UserError as error:  # AccessError included: the user may no longer book these invoices
            _logger.info("Background booking of bank file %s stopped: %s", self.id, error.args[0])
            with internal_write():
                self.write({"booking_user_id": False, "booking_error": error.args[0]})
            return 0
        except CONCURRENCY_ERRORS as error:
            # rolled back with the savepoint; the file stays queued for its user, with no reason to stop
            _logger.info(
                "Background booking of bank file %s: step rolled back by a concurrent update (%s)",
                self.id,
                str(error).strip(),
            )
            return None
        return size

    def _book_queued_chunk(self, line_ids):
        """Book (create and post the statement lines of) the chunk ``line_ids`` of this queued file (locked by
        :meth:`_lock_next_step`): see :meth:`_run_queued_step` for what it returns. Its reconciliation is a step of
        its own."""
        self.ensure_one()
        chunk = self._booking_line_model().browse(line_ids)
        return self._run_queued_step(lambda: chunk._book(reconcile=False), len(chunk))

    def _reconcile_queued_chunk(self, line_ids):
        """Reconcile the booked transactions ``line_ids`` of this queued file (locked by :meth:`_lock_next_step`):
        see :meth:`_run_queued_step` for what it returns."""
        self.ensure_one()
        lines = self._booking_line_model().browse(line_ids)
        return self._run_queued_step(lines._reconcile_booked, len(lines))

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sysengage_payment.sysengage_payment_import_line_action")
        action["domain"] = [("import_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    @api.model
    def _import_file(self, data, file_name=None, journal=None):
        """Import one camt file (bytes): refuse it whole when it is malformed, of another format or already
        imported; create the import with one line per transaction not seen before, match the lines, and book
        the matched ones when the company books automatically. Returns the import."""
        try:
            parsed = camt.parse(data)
        except camt.CamtError as error:
            raise UserError(self._camt_error_message(error, file_name)) from error
        company = journal.company_id if journal else self.env.company
        previous = self.search([("company_id", "=", company.id), ("file_hash", "=", parsed["hash"])], limit=1)
        if previous:
            raise UserError(
                self.env._(
                    "%(file)s was already imported on %(date)s (%(record)s): nothing was booked again.",
                    file=file_name or previous.file_name or previous.name,
                    date=fields.Date.to_string(previous.create_date.date()),
                    record=previous.display_name,
                )
            )
        journal = self._find_journal(parsed, journal, company)
        transactions = []
        for statement in parsed["statements"]:
            for entry in statement["entries"]:
                if entry["status"] and entry["status"] not in ("BOOK",):
                    continue  # pending or informational entries are not booked by the bank yet
                transactions += [(entry, tx) for tx in entry["transactions"]]
        keys = [tx["key"] for _entry, tx in transactions]
        known = set(
            self.env["sysengage.payment.import.line"]
            .search_fetch([("company_id", "=", company.id), ("transaction_key", "in", keys)], ["transaction_key"])
            .mapped("transaction_key")
        )
        currencies = {
            currency.name: currency
            for currency in self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "in", list({tx["currency"] for _entry, tx in transactions}))])
        }
        line_vals = []
        seen = set()
        for entry, tx in transactions:
            if tx["key"] in known or tx["key"] in seen:
                continue
            seen.add(tx["key"])
            line_vals.append(self._sysengage_prepare_line_vals(entry, tx, currencies, journal))
        self._match_line_vals(line_vals, company, journal)
        with internal_write():
            created = self._create_import(parsed, company, journal, file_name, transactions, line_vals)
        if company.sysengage_payment_auto_book:
            created.action_book_matched()
        return created

    @api.model
    def _match_line_vals(self, line_vals, company, journal):
        """Match the transactions before their lines exist (one batch of queries for the whole file, no write
        per line): each ``line_vals`` gets its invoice, method, state and note."""
        line_model = self.env["sysengage.payment.import.line"]
        currency_model = self.env["res.currency"]
        transactions = [
            line_model._match_input(
                vals["amount"],
                currency_model.browse(vals["currency_id"]),
                vals["reference_type"],
                vals["reference"],
                vals["counterparty_name"],
                vals["counterparty_iban"],
            )
            for vals in line_vals
        ]
        for vals, match_vals in zip(line_vals, line_model._match_values(transactions, company, journal), strict=True):
            vals.update(match_vals)

    @api.model
    def _create_import(self, parsed, company, journal, file_name, transactions, line_vals):
        """The import and its lines, created in chunks (written to the database and dropped from the cache in
        between: a file of 10,000 transactions is created in bounded memory)."""
        record = self.create(
            {
                "name": parsed["msg_id"] or file_name or parsed["hash"][:12],
                "company_id": company.id,
                "journal_id": journal.id,
                "file_name": file_name,
                "file_hash": parsed["hash"],
                "message_type": parsed["message"],
                "version": f"{parsed['message']}.001.{parsed['version']}",
                "account_iban": parsed["statements"][0]["account_iban"] if parsed["statements"] else False,
                "bank_date": self._parse_datetime(parsed["created"]),
                "skipped_count": len(transactions) - len(line_vals),
            }
        )
        line_model = self.env["sysengage.payment.import.line"]
        for offset in range(0, len(line_vals), CHUNK_SIZE):
            # company and journal given (they are the import's): not computed again for each line
            line_model.create(
                [
                    dict(vals, import_id=record.id, company_id=company.id, journal_id=journal.id)
                    for vals in line_vals[offset : offset + CHUNK_SIZE]
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
        return record

    @api.model
    def _sysengage_prepare_line_vals(self, entry, tx, currencies, journal):
        currency = currencies.get(tx["currency"])
        amount = float(tx["amount"]) if tx["credit"] else -float(tx["amount"])
        return {
            "transaction_key": tx["key"],
            "date": entry["booking_date"] or entry["value_date"] or fields.Date.context_today(self),
            "amount": amount,
            "currency_id": currency.id if currency else journal.currency_id.id or journal.company_id.currency_id.id,
            "currency_code": tx["currency"],
            "reference_type": tx["reference_type"].lower() or False,
            "reference": tx["reference"] or False,
            "counterparty_name": tx["counterparty_name"] or False,
            "counterparty_iban": tx["counterparty_iban"] or False,
            "message": tx["message"] or False,
            "entry_ref": entry["acct_svcr_ref"] or entry["entry_ref"] or False,
            "batch_size": len(entry["transactions"]),
        }

    @api.model
    def _parse_datetime(self, value):
        if not value:
            return False
        try:
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        if moment.tzinfo:
            moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
        return moment

    @api.model
    def _find_journal(self, parsed, journal, company):
        """The bank journal of the file's account (its IBAN or, for QR payments, the QR-IBAN the bank
        reports in the entry reference); ``journal`` when given must hold one of these accounts."""
        accounts = {statement["account_iban"] for statement in parsed["statements"] if statement["account_iban"]}
        entry_accounts = {
            entry["entry_ref"].replace(" ", "").upper()
            for statement in parsed["statements"]
            for entry in statement["entries"]
            if entry["entry_ref"][:2].isalpha() and len(entry["entry_ref"].replace(" ", "")) == 21
        }
        candidates = self.env["account.journal"]
        for ibans in (accounts, entry_accounts - accounts):
            candidates = candidates or self.env["account.journal"].search(
                [
                    ("type", "=", "bank"),
                    ("company_id", "=", company.id),
                    "|",
                    ("bank_account_id.sanitized_acc_number", "in", list(ibans)),
                    ("bank_account_id.l10n_ch_qr_iban", "in", list(ibans)),
                ]
            )
        file_accounts = ", ".join(sorted(accounts or entry_accounts)) or "-"
        if journal:
            if journal.type != "bank":
                raise UserError(
                    self.env._(
                        "%(journal)s is not a bank journal: a bank file is booked in the bank journal of its account "
                        "(%(accounts)s).",
                        journal=journal.display_name,
                        accounts=file_accounts,
                    )
                )
            if journal not in candidates:
                raise UserError(
                    self.env._(
                        "The file is for account %(accounts)s, but journal %(journal)s holds account %(account)s.",
                        accounts=file_accounts,
                        journal=journal.display_name,
                        account=journal.bank_account_id.acc_number or "-",
                    )
                )
            return journal
        if not candidates:
            raise UserError(
                self.env._(
                    "No bank journal of %(company)s holds account %(accounts)s: set the account on the bank "
                    "journal, or choose the journal.",
                    company=company.name,
                    accounts=file_accounts,
                )
            )
        return candidates[0]

    def _camt_error_message(self, error, file_name):
        name = file_name or self.env._("The file")
        if error.code == "not_xml":
            return self.env._("%(file)s is not a well-formed XML file: nothing was imported.", file=name)
        if error.code == "foreign":
            return self.env._(
                "%(file)s is not an ISO 20022 camt.053 or camt.054 file of version .001.04 or .001.08 "
                "(Swiss Payment Standards): nothing was imported.",
                file=name,
            )
        return self.env._(
            "%(file)s does not follow the ISO 20022 schema: nothing was imported.\n%(details)s",
            file=name,
            details="\n".join(error.details[:10]),
        )

    @api.model
    def _decode(self, file_content):
        return base64.b64decode(file_content or b"")
