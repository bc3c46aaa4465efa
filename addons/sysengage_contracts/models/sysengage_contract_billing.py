import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL, format_date

from odoo.addons.sysengage_base.models.account_move_line import MOVE_BATCH_TOKEN

from ..tools.recurrence import RecurrenceError
from .account_move_line import BILLING_TOKEN
from .sysengage_contract import BILLABLE_STATES

_logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200


class SysengageContract(models.Model):
    """The billing run of the contracts: collect the due periods, create and post their invoices,
    report failures, and the two crons (invoicing, renewals) that lock, handle and commit batches.

    Same model as ``sysengage_contract.py`` (fields, constraints, computes, actions), kept apart so
    that each file reads as one concern; the run is not reusable by another model, so it is not a mixin.
    """

    _inherit = "sysengage.contract"

    # ------------------------------------------------------------------
    # Business methods: invoicing
    # ------------------------------------------------------------------
    def _prepare_invoice_vals(self, invoice_date):
        """Header of an invoice of this contract (lines are added by the caller)."""
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "journal_id": self.journal_id.id,
            "currency_id": self.currency_id.id,
            "partner_id": self.partner_invoice_id.id,
            "invoice_date": invoice_date,
            "invoice_payment_term_id": self.payment_term_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "invoice_user_id": self.user_id.id,
            "invoice_origin": self.name,
            "invoice_line_ids": [],
        }

    def _prepare_invoice_line_vals_list(self, period, prices, date_cache):
        """Invoice line values of one period; ``prices`` maps a contract line to (price_unit, discount)."""
        self.ensure_one()
        lang = self.partner_invoice_id.lang or self.env.lang
        vals_list = []
        for line in self.line_ids:
            if line.display_type:
                vals_list.append(
                    {
                        "display_type": line.display_type,
                        "name": line._period_description(period, lang, date_cache),
                        "sequence": line.sequence,
                        "sysengage_contract_id": self.id,
                        "sysengage_contract_line_id": line.id,
                        "sysengage_period_start": period.start,
                        "sysengage_period_end": period.end,
                    }
                )
                continue
            ratio = period.overlap_ratio(line.date_start, line.date_end)
            if not ratio:
                continue
            price_unit, discount = prices[line]
            taxes = line.tax_ids
            if self.fiscal_position_id:
                taxes = self.fiscal_position_id.map_tax(taxes)
            vals = {
                "display_type": "product",
                "sequence": line.sequence,
                "product_id": line.product_id.id,
                "name": line._period_description(period, lang, date_cache),
                "quantity": line.quantity,
                # pro rata on the unit price: the currency rounds the subtotal once, at the end
                "price_unit": price_unit * float(ratio),
                "discount": discount,
                "tax_ids": [Command.set(taxes.ids)],
                "sysengage_contract_id": self.id,
                "sysengage_contract_line_id": line.id,
                "sysengage_period_start": period.start,
                "sysengage_period_end": period.end,
            }
            if line.analytic_distribution:
                vals["analytic_distribution"] = line.analytic_distribution
            vals_list.append(vals)
        return vals_list

    def _collect(self, reference_date):
        """Prepare the invoices of every due period of ``self``.

        Returns ``(groups, failures)``: ``groups`` maps a grouping key to
        ``{"vals": invoice vals, "contracts": {contract: last period}}``; ``failures`` maps a
        contract to its error message. Nothing is written here.
        """
        groups = {}
        failures = {}
        date_cache = {}
        due = {}
        for contract in self:
            try:
                errors = contract._invoiceable_errors()
                if errors:
                    raise ValidationError("\n".join(errors))
                periods = contract._due_periods(reference_date)
            except (UserError, ValidationError, RecurrenceError) as error:
                failures[contract] = str(error.args[0] if error.args else error)
                continue
            if periods:
                due[contract] = periods
        # one price resolution for the whole batch; if it fails, each contract resolves its own
        # below, so that only the contract with bad data is skipped
        try:
            prices = self._resolve_prices(
                [
                    (line, period)
                    for contract, periods in due.items()
                    for line in contract.line_ids
                    if not line.display_type
                    for period in periods
                ]
            )
        except (UserError, ValidationError, ValueError, KeyError, TypeError):
            prices = None
        for contract, periods in due.items():
            try:
                lines = contract.line_ids.filtered(lambda line: not line.display_type)
                contract_prices = prices
                if contract_prices is None:
                    contract_prices = contract._resolve_prices([(line, period) for line in lines for period in periods])
                for period in periods:
                    period_prices = {line: contract_prices[line, period.start] for line in lines}
                    line_vals = contract._prepare_invoice_line_vals_list(period, period_prices, date_cache)
                    if contract.group_invoices:
                        key = (
                            "group",
                            contract.company_id.id,
                            contract.partner_invoice_id.id,
                            contract.currency_id.id,
                            contract.journal_id.id,
                            contract.payment_term_id.id,
                            contract.fiscal_position_id.id,
                            period.invoice_date,
                        )
                    else:
                        key = ("contract", contract.id, period.start)
                    group = groups.get(key)
                    if group is None:
                        vals = contract._prepare_invoice_vals(period.invoice_date)
                        if key[0] == "contract":
                            vals.update(
                                {
                                    "sysengage_contract_id": contract.id,
                                    "sysengage_period_start": period.start,
                                    "sysengage_period_end": period.end,
                                }
                            )
                        else:
                            vals["invoice_origin"] = False
                        group = groups[key] = {"vals": vals, "contracts": {}}
                    elif key[0] == "group":
                        group["vals"]["invoice_user_id"] = group["vals"]["invoice_user_id"] or contract.user_id.id
                    if key[0] == "group":
                        # one block per contract: its name as a section, then its lines in their order
                        block = (len(group["contracts"]) + 1) * 10000
                        for vals in line_vals:
                            vals["sequence"] = block + 1 + (vals.get("sequence") or 0)
                        line_vals.insert(
                            0,
                            {
                                "display_type": "line_section",
                                "name": contract.display_name,
                                "sequence": block,
                            },
                        )
                    group["vals"]["invoice_line_ids"].extend(Command.create(vals) for vals in line_vals)
                    group["contracts"][contract] = period
            except psycopg2.Error:
                raise
            except (UserError, ValidationError, RecurrenceError, ValueError, KeyError, TypeError) as error:
                failures[contract] = str(error.args[0] if error.args else error)
        for contract in failures:
            # drop the groups holding a failed contract's periods: they would be incomplete
            for key in [k for k, g in groups.items() if contract in g["contracts"]]:
                for other in groups[key]["contracts"]:
                    if other not in failures:
                        failures.setdefault(
                            other,
                            self.env._("Grouped with the failed contract %(name)s.", name=contract.name),
                        )
        if failures:
            groups = {k: g for k, g in groups.items() if not any(c in failures for c in g["contracts"])}
        return groups, failures

    def _create_moves(self, groups):
        """Create the invoices of ``groups`` in one batched create; on error, one by one in savepoints.

        Returns ``({group key: move}, {contract: error})``.
        """
        # no "invoice created" log nor follower subscription per invoice: the contract and the period on
        # the invoice are the trace; this halves the mail overhead of a large run
        Move = self.env["account.move"].with_context(
            # the contract and periods of these invoices are set here (refused from clients)
            sysengage_contract_billing=BILLING_TOKEN,
            # a batch of the suite: the company check once per distinct company and value, the given subtotals kept
            sysengage_move_batch=MOVE_BATCH_TOKEN,
            default_move_type="out_invoice",
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )
        keys = list(groups)
        failures = {}
        vals_list = [groups[key]["vals"] for key in keys]
        completed = self.env["account.move"]._sysengage_complete_move_vals(vals_list)
        # the invoices are edited later like any other: without the context of their creation
        plain = self.env["account.move"]
        try:
            with self.env.cr.savepoint():
                complete = [(key, vals) for key, vals in zip(keys, completed, strict=True) if vals]
                standard = [(key, vals) for key, vals, done in zip(keys, vals_list, completed, strict=True) if not done]
                by_key = {}
                if complete:
                    # written out in full: no line synchronisation (see _sysengage_complete_move_vals),
                    # neither of the invoice nor of each item (balance and amount in currency are given,
                    # equal in the company currency), nor analytic synchronisation (posted items only)
                    moves = Move.with_context(
                        skip_invoice_sync=True, skip_invoice_line_sync=True, skip_analytic_sync=True
                    ).create([vals for _key, vals in complete])
                    by_key.update(zip([key for key, _vals in complete], plain.browse(moves.ids), strict=True))
                if standard:
                    moves = Move.create([vals for _key, vals in standard])
                    by_key.update(zip([key for key, _vals in standard], plain.browse(moves.ids), strict=True))
            return by_key, failures
        except (psycopg2.Error, UserError, ValidationError) as error:
            _logger.info("Batched creation of %s contract invoices failed (%s); retrying one by one", len(keys), error)
        by_key = {}
        for key in keys:
            try:
                with self.env.cr.savepoint():
                    by_key[key] = plain.browse(Move.create(groups[key]["vals"]).ids)
            except psycopg2.errors.UniqueViolation:
                for contract in groups[key]["contracts"]:
                    failures[contract] = self.env._(
                        "An invoice already exists for this contract and period (created by another process)."
                    )
            except (psycopg2.Error, UserError, ValidationError) as error:
                for contract in groups[key]["contracts"]:
                    failures[contract] = str(error.args[0] if error.args else error)
        return by_key, failures

    def _post_moves(self, moves):
        """Post ``moves`` in one go; on error, one by one (a move that cannot be posted stays in draft)."""
        errors = {}
        if not moves:
            return errors
        try:
            with self.env.cr.savepoint():
                moves.action_post()
            return errors
        except (UserError, ValidationError, psycopg2.Error) as error:
            _logger.info("Batched posting of %s contract invoices failed (%s); posting one by one", len(moves), error)
        for move in moves:
            try:
                with self.env.cr.savepoint():
                    move.action_post()
            except (UserError, ValidationError, psycopg2.Error) as error:
                errors[move] = str(error.args[0] if error.args else error)
        return errors

    @api.model
    def _queue_sending(self, contracts_by_move):
        """Hand the posted invoices of contracts sending at once to core's "Send & Print" cron.

        ``contracts_by_move`` maps an invoice to the contracts it bills. The invoices get the
        ``sending_data`` of core's batch sending wizard (``action_send_and_print``): the cron sends
        each one by its customer's sending method, as its author, then clears it. Written in the
        transaction that creates and posts the invoices; an inactive cron leaves them queued.
        """
        by_author = defaultdict(list)
        for move, contracts in contracts_by_move.items():
            senders = [c for c in contracts if c.auto_post and c.auto_send]
            if move.state != "posted" or not senders:
                continue
            author = next((c.user_id for c in senders if c.user_id), self.env.user)
            by_author[author].append(move.id)
        for author, move_ids in by_author.items():
            self.env["account.move"].browse(move_ids).write(
                {"sending_data": {"author_user_id": author.id, "author_partner_id": author.partner_id.id}}
            )
        if by_author and (cron := self.env.ref("account.ir_cron_account_move_send", raise_if_not_found=False)):
            cron._trigger()

    def _generate_invoices(self, reference_date):
        """Invoice every period of ``self`` due on ``reference_date``; the caller holds the row locks.

        Returns ``{"moves": account.move, "failed": contracts, "errors": [messages]}``.
        Writes nothing for a contract that fails; never commits.
        """
        groups, failures = self._collect(reference_date)
        moves = self.env["account.move"]
        if groups:
            by_key, create_failures = self._create_moves(groups)
            failures.update(create_failures)
            moves = moves.browse([move.id for move in by_key.values()])
            # advance the contracts, grouped by their new next period start (few distinct dates)
            last_periods = {}
            for group in groups.values():
                for contract, period in group["contracts"].items():
                    if contract in failures:
                        continue
                    if contract not in last_periods or period.end > last_periods[contract].end:
                        last_periods[contract] = period
            by_start = defaultdict(list)
            for contract, period in last_periods.items():
                by_start[period.end + timedelta(days=1)].append(contract.id)
            for next_start, ids in by_start.items():
                self.browse(ids).write({"next_period_start": next_start})
            # post in the same transaction as the creation, in one go: the groups say which invoices
            # bill a contract posted at once (no pass over the invoice lines)
            contracts_by_move = {move: groups[key]["contracts"] for key, move in by_key.items()}
            to_post = moves.browse(
                [move.id for move, contracts in contracts_by_move.items() if any(c.auto_post for c in contracts)]
            )
            post_errors = self._post_moves(to_post)
            self._queue_sending({move: contracts_by_move[move] for move in to_post if move not in post_errors})
            for move, message in post_errors.items():
                for contract in contracts_by_move[move]:
                    contract.message_post(
                        body=self.env._(
                            "Invoice %(move)s was created but could not be posted: %(error)s",
                            move=move.display_name,
                            error=message,
                        )
                    )
        failed = self.browse([c.id for c in failures])
        for contract, message in failures.items():
            contract._report_failure(message)
        return {"moves": moves, "failed": failed, "errors": list(failures.values())}

    def _report_failure(self, message):
        """Tell the contract's rep that it could not be invoiced (chatter + one open activity)."""
        self.ensure_one()
        summary = self.env._("Recurring invoice failed")
        self.message_post(
            body=self.env._("The recurring invoice could not be created: %(error)s", error=message),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        if not self.activity_ids.filtered(lambda a: a.summary == summary):
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=message,
                user_id=(self.user_id or self.create_uid or self.env.user).id,
            )

    # ------------------------------------------------------------------
    # Locking and cron
    # ------------------------------------------------------------------
    @api.model
    def _lock(self, ids):
        """Lock the rows of ``ids`` not locked by another transaction; return the ids locked."""
        if not ids:
            return []
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sysengage_contract WHERE id IN %s ORDER BY id FOR UPDATE SKIP LOCKED",
                tuple(ids),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _lock_due_batch(self, reference_date, after_id, limit):
        """Lock the next ``limit`` due contracts after ``after_id`` (ordered by id), skipping rows locked elsewhere."""
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM sysengage_contract
                 WHERE state IN %(states)s
                   AND next_invoice_date <= %(date)s
                   AND active
                   AND id > %(after)s
              ORDER BY id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
                """,
                states=BILLABLE_STATES,
                date=reference_date,
                after=after_id,
                limit=limit,
            ),
            # a row another worker committed after this snapshot raises SerializationFailure, which
            # _run_locked_batches handles (new transaction): not an error to log
            log_exceptions=False,
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _count_due(self, reference_date, after_id):
        self.flush_model(["state", "next_invoice_date", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*) FROM sysengage_contract
                 WHERE state IN %(states)s AND next_invoice_date <= %(date)s AND active AND id > %(after)s
                """,
                states=BILLABLE_STATES,
                date=reference_date,
                after=after_id,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _batch_size(self, batch_size=None):
        return batch_size or int(
            self.env["ir.config_parameter"].sudo().get_param("sysengage_contracts.batch_size", DEFAULT_BATCH_SIZE)
        )

    @api.model
    def _run_locked_batches(self, lock_batch, process, count_remaining):
        """The loop of the contract crons: lock a batch, handle it, count what is left, commit; repeat.

        ``lock_batch(after_id)`` locks and returns the ids of the next batch (ordered, after
        ``after_id``, skipping rows locked by another transaction), ``process(contracts)`` handles
        them, ``count_remaining(after_id)`` counts the rows still to do for the cron's progress. Each
        batch is committed with ``ir.cron._commit_progress``: a crash loses at most the current batch,
        which the next run redoes. Returns ``False`` when the cron ran out of time.
        """
        IrCron = self.env["ir.cron"]
        last_id = 0
        while True:
            try:
                with self.env.cr.savepoint(flush=False):
                    ids = lock_batch(last_id)
            except psycopg2.errors.SerializationFailure:
                # another worker committed these rows after our snapshot: start a new transaction
                IrCron._commit_progress(0)
                continue
            if not ids:
                return True
            last_id = ids[-1]
            process(self.browse(ids))
            remaining = count_remaining(last_id)
            # commit the batch (cron progress); the cache is dropped so memory stays flat
            time_left = IrCron._commit_progress(len(ids), remaining=remaining)
            self.env.invalidate_all()
            if time_left <= 0:
                return False

    @api.model
    def _cron_generate_invoices(self, batch_size=None, reference_date=None):
        """Invoice every due contract, in batches committed one by one.

        Each batch is locked with ``FOR UPDATE SKIP LOCKED`` (a second worker takes the next rows),
        its invoices are created in one ``create`` and the contracts advanced in the same
        transaction, then committed: a crash loses at most the current batch, which the next run
        redoes. The unique indexes on the invoices are the last line of defence.
        """
        reference_date = reference_date or fields.Date.context_today(self)
        batch_size = self._batch_size(batch_size)
        self._wake_second_invoicing_worker(reference_date, batch_size)

        def process(contracts):
            result = contracts._generate_invoices(reference_date)
            _logger.info(
                "Contracts %s..%s: %s invoices, %s failures",
                contracts[0].id,
                contracts[-1].id,
                len(result["moves"]),
                len(result["failed"]),
            )

        self._run_locked_batches(
            lambda after_id: self._lock_due_batch(reference_date, after_id, batch_size),
            process,
            lambda after_id: self._count_due(reference_date, after_id),
        )
        return True

    @api.model
    def _wake_second_invoicing_worker(self, reference_date, batch_size):
        """Run by the invoicing scheduled action: wake its twin (``..._invoices_2``) when more than one batch is
        due, so that a second cron worker bills the other batches side by side. Nothing when the twin is
        archived, when this is the twin itself, or outside a scheduled action (a direct call)."""
        main = self.env.ref("sysengage_contracts.ir_cron_sysengage_contract_invoices", raise_if_not_found=False)
        if not main or self.env.context.get("cron_id") != main.id:
            return
        twin = self.env.ref("sysengage_contracts.ir_cron_sysengage_contract_invoices_2", raise_if_not_found=False)
        if twin and twin.active and self._count_due(reference_date, 0) > batch_size:
            twin._trigger()

    @api.model
    def _renewal_condition(self, kind, reference_date):
        """SQL condition of the contracts the renewal cron handles (see :meth:`_lock_renewal_batch`)."""
        if kind == "notice":
            return SQL(
                "state = 'running' AND date_end IS NOT NULL "
                "AND (date_end - make_interval(months => COALESCE(notice_months, 0)))::date < %s",
                reference_date,
            )
        return SQL("state IN ('running', 'to_renew') AND date_end < %s AND next_invoice_date IS NULL", reference_date)

    @api.model
    def _lock_renewal_batch(self, kind, reference_date, after_id, limit):
        """Lock the next ``limit`` contracts (ordered by id, after ``after_id``) the renewal cron has to
        handle, skipping rows locked by another transaction.

        ``kind`` is ``"notice"`` (running, notice deadline passed: renew or flag to renew) or ``"ended"``
        (past their end and fully invoiced: terminate). Months are subtracted like ``relativedelta``
        (clamped to the month end), and the caller checks every row again in Python.
        """
        condition = self._renewal_condition(kind, reference_date)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM sysengage_contract
                 WHERE active AND %(condition)s AND id > %(after)s
              ORDER BY id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
                """,
                condition=condition,
                after=after_id,
                limit=limit,
            ),
            # as in _lock_due_batch: a SerializationFailure here is handled by _run_locked_batches
            log_exceptions=False,
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _renewal_due(self, reference_date):
        """True when the notice deadline of this running contract has passed on ``reference_date``."""
        self.ensure_one()
        if self.state != "running" or not self.date_end:
            return False
        return reference_date > self.date_end - relativedelta(months=self.notice_months)

    def _process_renewals(self, reference_date):
        """Renew (automatic renewal) or flag to renew the locked contracts of ``self`` whose notice passed."""
        summary = self.env._("Contract to renew")
        for contract in self:
            if not contract._renewal_due(reference_date):
                continue
            if contract.auto_renew and contract.renewal_months:
                new_end = contract.date_end + relativedelta(months=contract.renewal_months)
                contract.write({"date_end": new_end})
                contract.message_post(
                    body=self.env._(
                        "Renewed automatically until %(date)s (no termination before the notice deadline).",
                        date=format_date(self.env, new_end),
                    )
                )
                continue
            contract.state = "to_renew"
            if not contract.activity_ids.filtered(lambda activity: activity.summary == summary):
                contract.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=contract.date_end,
                    summary=summary,
                    user_id=(contract.user_id or self.env.user).id,
                )

    def _process_ends(self, reference_date):
        """Terminate the locked contracts of ``self`` that are past their end and fully invoiced."""
        self.filtered(
            lambda c: (
                c.state in ("running", "to_renew")
                and c.date_end
                and c.date_end < reference_date
                and not c.next_invoice_date
            )
        ).write({"state": "terminated"})

    @api.model
    def _count_renewals(self, kind, reference_date, after_id):
        condition = self._renewal_condition(kind, reference_date)
        return self.env.execute_query(
            SQL(
                "SELECT count(*) FROM sysengage_contract WHERE active AND %s AND id > %s",
                condition,
                after_id,
            )
        )[0][0]

    @api.model
    def _cron_update_renewals(self, batch_size=None, reference_date=None):
        """Renew contracts whose notice deadline passed (automatic renewal) or flag them to renew, then
        terminate the contracts past their end and fully invoiced.

        Batches of contracts are locked with ``FOR UPDATE SKIP LOCKED`` (a second worker takes other
        rows), handled and committed one by one with ``ir.cron._commit_progress``: a crash loses at most
        the current batch, whose contracts still match and are redone by the next run; a contract
        already renewed or flagged no longer matches, so it is never renewed or flagged twice.
        """
        reference_date = reference_date or fields.Date.context_today(self)
        batch_size = self._batch_size(batch_size)
        for kind, process in (
            ("notice", lambda contracts: contracts._process_renewals(reference_date)),
            ("ended", lambda contracts: contracts._process_ends(reference_date)),
        ):
            done = self._run_locked_batches(
                lambda after_id, kind=kind: self._lock_renewal_batch(kind, reference_date, after_id, batch_size),
                process,
                lambda after_id, kind=kind: self._count_renewals(kind, reference_date, after_id),
            )
            if not done:
                break
        return True

    # ------------------------------------------------------------------
    # Demo data (called from demo/sysengage_contracts_demo.xml only)
    # ------------------------------------------------------------------
    @api.model
    def _demo_start_and_bill(self, contract_ids, late_payer_ids):
        """Demo: start the contracts, invoice every period due today (posted, as the cron does) and
        register the customers' payments: all invoices older than three weeks are paid, except those of
        ``late_payer_ids`` less than two and a half months old (they wait for a payment reminder)."""
        contracts = self.browse(contract_ids)
        contracts.filtered(lambda contract: contract.state == "draft").action_start()
        today = fields.Date.context_today(self)
        locked = self.browse(self._lock(contracts.ids))
        moves = locked._generate_invoices(today)["moves"].filtered(lambda move: move.state == "posted")
        late_payers = self.browse(late_payer_ids)
        for move in moves.sorted("invoice_date"):
            late = move.invoice_line_ids.sysengage_contract_id & late_payers
            limit = today - relativedelta(days=75 if late else 21)
            if move.invoice_date > limit:
                continue
            self.env["account.payment.register"].with_company(move.company_id).with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"payment_date": move.invoice_date + relativedelta(days=18)})._create_payments()
        return True
