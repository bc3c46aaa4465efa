import base64
import logging
from collections import defaultdict
from datetime import timezone

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.sysengage_ged.tools import chain, pades, rfc3161

_logger = logging.getLogger(__name__)

# Only code of this module holds this object: a client cannot put it in a context over RPC,
# so archive rows can only be created by the archiving methods below.
_ARCHIVE_TOKEN = object()
# invoices archived per committed batch of the archive job
ARCHIVE_BATCH_SIZE = 50
# columns the database refuses to change once a row exists (see init())
_FROZEN_COLUMNS = (
    "name",
    "company_id",
    "move_id",
    "res_model",
    "res_id",
    "version",
    "trigger",
    "kind",
    "file_name",
    "mimetype",
    "datas",
    "file_size",
    "sha256",
    "sequence",
    "previous_hash",
    "chain_hash",
    "signed",
    "signer",
    "retention_until",
    "create_date",
    "create_uid",
)
# columns the timestamp retry may fill while the row is "to timestamp"
_TIMESTAMP_COLUMNS = (
    "state",
    "timestamp_id",
    "timestamp_token",
    "timestamp_date",
    "tsa_url",
    "timestamp_error",
    "timestamp_attempts",
)
# advisory lock namespace: one transaction at a time asks the authority for a company's chain head
_STAMP_LOCK = 0x5E6E


class SysengageGedArchive(models.Model):
    _name = "sysengage.ged.archive"
    _description = "Invoice Archive"
    _inherit = ["sysengage.ged.linked.mixin"]
    _order = "company_id, sequence desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, readonly=True, index=True, ondelete="restrict"
    )
    journal_id = fields.Many2one(related="move_id.journal_id")
    partner_id = fields.Many2one(related="move_id.partner_id", string="Customer")
    version = fields.Integer(required=True, readonly=True)
    trigger = fields.Selection(
        [("post", "Posting"), ("print", "Print"), ("send", "Sending")], required=True, readonly=True
    )
    kind = fields.Selection([("pdf", "Invoice PDF"), ("xml", "E-invoice XML")], required=True, readonly=True)
    file_name = fields.Char(readonly=True)
    mimetype = fields.Char(readonly=True)
    datas = fields.Binary(string="File", attachment=False, readonly=True)
    file_size = fields.Integer(string="Size (bytes)", readonly=True)
    sha256 = fields.Char(string="SHA-256", readonly=True, index=True)
    sequence = fields.Integer(string="Chain Position", readonly=True)
    previous_hash = fields.Char(string="Previous Chain Hash", readonly=True)
    chain_hash = fields.Char(readonly=True)
    signed = fields.Boolean(string="PAdES Signed", readonly=True)
    signer = fields.Char(readonly=True)
    state = fields.Selection(
        [("to_timestamp", "To Timestamp"), ("timestamped", "Timestamped")],
        default="to_timestamp",
        required=True,
        readonly=True,
        index=True,
    )
    timestamp_id = fields.Many2one(
        "sysengage.ged.archive.timestamp",
        string="Covered by Timestamp",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The batch timestamp over a chain head at or after this archive: it proves this archive "
        "existed no later than its time, through the chain links up to that head.",
    )
    # per-file token of archives made before batch timestamps (still verified as such)
    timestamp_token = fields.Binary(string="RFC 3161 Token", attachment=False, readonly=True)
    timestamp_date = fields.Datetime(readonly=True)
    tsa_url = fields.Char(string="Time-Stamping Authority", readonly=True)
    timestamp_error = fields.Char(readonly=True)
    timestamp_attempts = fields.Integer(readonly=True)
    retention_until = fields.Date(readonly=True, index=True)
    event_ids = fields.One2many("sysengage.ged.archive.event", "archive_id", string="Events", readonly=True)

    _chain_unique = models.Constraint(
        "UNIQUE(company_id, sequence)", "Two archives cannot hold the same place in the company chain."
    )

    def init(self):
        # Database guard: even SQL outside the ORM cannot alter an archive, nor delete it
        # before its retention date; only the timestamp of a "to timestamp" row may be filled.
        changed = SQL(" OR ").join(
            SQL("NEW.%s IS DISTINCT FROM OLD.%s", SQL.identifier(column), SQL.identifier(column))
            for column in _FROZEN_COLUMNS
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION sysengage_ged_archive_guard() RETURNS trigger AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        IF OLD.retention_until IS NULL OR OLD.retention_until >= CURRENT_DATE THEN
                            RAISE EXCEPTION 'sysengage.ged.archive %% is within its retention period', OLD.id;
                        END IF;
                        RETURN OLD;
                    END IF;
                    IF OLD.state <> 'to_timestamp' OR %s THEN
                        RAISE EXCEPTION 'sysengage.ged.archive %% is immutable', OLD.id;
                    END IF;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS sysengage_ged_archive_guard ON sysengage_ged_archive;
                CREATE TRIGGER sysengage_ged_archive_guard BEFORE UPDATE OR DELETE ON sysengage_ged_archive
                    FOR EACH ROW EXECUTE FUNCTION sysengage_ged_archive_guard();
                """,
                changed,
            )
        )

    # ------------------------------------------------------------------
    # CRUD: created by archiving only, never changed, kept for the retention period
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("sysengage_ged_archive_token") is not _ARCHIVE_TOKEN:
            raise UserError(self.env._("Archives are created by posting, printing or sending invoices only."))
        return super().create(vals_list)

    def write(self, vals):
        # every change is refused; the timestamp goes through _ged_write_timestamp
        if vals:
            raise UserError(self.env._("Invoice archives cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_within_retention(self):
        today = fields.Date.context_today(self)
        kept = self.filtered(lambda archive: not archive.retention_until or archive.retention_until >= today)
        if kept:
            raise UserError(
                self.env._(
                    "Invoice archives cannot be deleted before the end of their retention period "
                    "(%(names)s, kept until %(date)s).",
                    names=", ".join(kept[:5].mapped("name")),
                    date=max(kept.mapped("retention_until") or [today]),
                )
            )

    def _ged_write_timestamp(self, vals):
        """Fill the timestamp of a row still waiting for it (the only change ever allowed)."""
        if set(vals) - set(_TIMESTAMP_COLUMNS) or self.filtered(lambda a: a.state != "to_timestamp"):
            raise UserError(self.env._("Invoice archives cannot be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Archiving
    # ------------------------------------------------------------------
    @api.model
    def _ged_archive_files(self, move, trigger, files):
        """Archive ``files`` of a posted ``move``.

        :param files: list of ``(kind, file_name, mimetype, raw)``, kind in ``pdf``/``xml``
        :return: the created archives, "to timestamp" (the archive job stamps the chain head)
        """
        return self._ged_archive_batch([(move, trigger, files)])

    @api.model
    def _ged_archive_batch(self, items):
        """Archive the files of several posted moves: sign each PDF, then chain them all.

        :param items: list of ``(move, trigger, files)`` (``files`` as in :meth:`_ged_archive_files`)
        :return: the created archives
        """
        prepared = defaultdict(list)
        for move, trigger, files in items:
            prepared[move.company_id].append((move, trigger, self._ged_prepare_files(move, files)))
        archives = self.browse()
        for company, company_items in prepared.items():
            archives |= self._ged_chain(company, company_items)
        return archives

    @api.model
    def _ged_prepare_files(self, move, files):
        """Sign the PDF files of ``move`` with the company certificate (before the chain is taken), with the files
        core embeds in an invoice PDF (:meth:`account.move._sysengage_ged_pdf_attachments`).

        :return: list of ``(kind, file_name, mimetype, raw, signer)``
        """
        # sudo: the company certificate is kept for system administrators
        bundle = move.company_id.sudo()._sysengage_ged_signing_bundle()
        prepared = []
        for kind, file_name, mimetype, raw in files:
            signer = False
            if kind == "pdf" and bundle:
                try:
                    # with the files core embeds in the invoice PDF it sends (Factur-X) unless the PDF has them
                    # already, in the signed revision: Send & Print then sends this file as it is, signature intact
                    raw = pades.sign_pdf(
                        raw,
                        bundle,
                        reason=self.env._("Invoice archive"),
                        location=move.company_id.city or None,
                        attachments=move._sysengage_ged_pdf_attachments(),
                    )
                except pades.SignatureError as exc:
                    raise UserError(
                        self.env._(
                            "The PDF of %(invoice)s cannot be signed for the archive: %(error)s",
                            invoice=move.name,
                            error=exc,
                        )
                    ) from exc
                signer = bundle["subject"]
            prepared.append((kind, file_name, mimetype, raw, signer))
        return prepared

    @api.model
    def _ged_chain(self, company, items):
        """Chain prepared files of moves of ``company`` and store them (no network call).

        :param items: list of ``(move, trigger, prepared files)``
        """
        # sudo: the chain is company-wide; whoever archives an invoice he may post or print must not
        # need to read other invoices' archives
        archive_sudo = self.sudo()
        company_sudo = company.sudo()
        moves = self.env["account.move"].union(*[move for move, _trigger, _files in items])
        versions = {
            (move.id, kind): version
            for move, kind, version in archive_sudo._read_group(
                [("move_id", "in", moves.ids)], ["move_id", "kind"], ["version:max"]
            )
        }
        retention_until = fields.Date.context_today(self) + relativedelta(years=company.sysengage_ged_retention_years)
        # the chain of the company, taken for this transaction only now, after rendering and signing:
        # waits for a concurrent archiving, then continues after its head even though this
        # transaction's snapshot predates it; released by the commit that follows
        head = self.env["sysengage.ged.archive.head"]
        sequence, previous_hash = head._ged_lock(company)
        vals_list = []
        for move, trigger, files in items:
            for kind, file_name, mimetype, raw, signer in files:
                version = versions.get((move.id, kind), 0) + 1
                versions[move.id, kind] = version
                sequence += 1
                digest = chain.sha256_hex(raw)
                reference = f"account.move,{move.id},v{version},{kind}"
                current = chain.chain_hash(previous_hash, sequence, digest, reference)
                vals_list.append(
                    {
                        "name": f"{move.name} v{version} ({kind.upper()})",
                        "company_id": company.id,
                        "move_id": move.id,
                        "res_model": "account.move",
                        "res_id": move.id,
                        "version": version,
                        "trigger": trigger,
                        "kind": kind,
                        "file_name": file_name,
                        "mimetype": mimetype,
                        "datas": base64.b64encode(raw),
                        "file_size": len(raw),
                        "sha256": digest,
                        "sequence": sequence,
                        "previous_hash": previous_hash,
                        "chain_hash": current,
                        "signed": bool(signer),
                        "signer": signer,
                        "retention_until": retention_until,
                        "tsa_url": company_sudo.sysengage_ged_tsa_url,
                    }
                )
                previous_hash = current
        archives = archive_sudo.with_context(sysengage_ged_archive_token=_ARCHIVE_TOKEN).create(vals_list)
        if vals_list:
            head._ged_advance(company, sequence, previous_hash)
        return archives.sudo(False).with_env(self.env)

    def _ged_timestamp(self, raise_on_error=True):
        """Timestamp the chain heads covering these archives (one authority call per company)."""
        for company in self.filtered(lambda a: a.state == "to_timestamp").company_id:
            self._ged_timestamp_company(company, raise_on_error=raise_on_error)

    @api.model
    def _ged_timestamp_company(self, company, raise_on_error=False):
        """Ask the authority once for a token over the newest chain head of ``company``; it covers
        every archive still "to timestamp" up to that head. A failure leaves them waiting (the next
        run stamps a newer head, which covers them too); nothing else waits for the authority.

        :return: the timestamp recorded (empty when none was needed or obtained), ``False`` when
            another transaction is stamping this chain right now
        """
        Timestamp = self.env["sysengage.ged.archive.timestamp"]
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", _STAMP_LOCK, company.id))
        if not self.env.cr.fetchone()[0]:
            return False  # another worker is stamping this chain now
        # sudo: the timestamp is a system step over the company chain; only the timestamp columns of
        # rows still waiting are filled (checked by _ged_write_timestamp)
        head = self.env["sysengage.ged.archive.head"]._ged_current(company)
        pending = self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", "to_timestamp"), ("sequence", "<=", head.sequence)]
        )
        if not pending:
            return Timestamp
        url = company.sudo().sysengage_ged_tsa_url
        try:
            token = rfc3161.request_timestamp(url, bytes.fromhex(head.chain_hash))
        except rfc3161.TimestampError as exc:
            pending._ged_write_timestamp({"timestamp_error": str(exc)[:500], "tsa_url": url})
            _logger.warning(
                "Archive chain of %s not timestamped (%s archives waiting): %s", company.name, len(pending), exc
            )
            if raise_on_error:
                raise UserError(
                    self.env._(
                        "The archives of %(company)s could not be timestamped: %(error)s",
                        company=company.name,
                        error=exc,
                    )
                ) from exc
            return Timestamp
        gen_time, _imprint, _serial = rfc3161.token_info(token)
        timestamp_date = gen_time.astimezone(timezone.utc).replace(tzinfo=None)
        stamp = Timestamp._ged_record(
            {
                "company_id": company.id,
                "sequence": head.sequence,
                "chain_hash": head.chain_hash,
                "token": base64.b64encode(token),
                "timestamp_date": timestamp_date,
                "tsa_url": url,
            }
        )
        pending._ged_write_timestamp(
            {
                "state": "timestamped",
                "timestamp_id": stamp.id,
                "timestamp_date": timestamp_date,
                "timestamp_error": False,
                "tsa_url": url,
            }
        )
        return stamp

    @api.model
    def _cron_ged_retry_timestamps(self):
        """Timestamp the chain heads of the companies whose archives still wait (authority was down)."""
        # sudo: the retry is a system task covering the pending archives of every company
        groups = self.sudo()._read_group([("state", "=", "to_timestamp")], ["company_id"])
        companies = [company for (company,) in groups]
        for index, company in enumerate(companies):
            self._ged_timestamp_company(company)
            self.env["ir.cron"]._commit_progress(1, remaining=len(companies) - index - 1)

    @api.model
    def _cron_ged_archive_pending(self, batch_size=ARCHIVE_BATCH_SIZE):
        """Archive the posted invoices waiting in the queue, in committed batches.

        Each batch: take rows with ``FOR UPDATE SKIP LOCKED`` (two workers never share a row),
        render their PDFs in batches, sign, chain (the chain lock is held only from the chaining to
        the commit), remove the rows, commit. Then one authority call per company over its new chain
        head, in a transaction of its own: an authority down delays the timestamps, nothing else.
        A kill at any point rolls the current batch back; its rows are taken again by the next run.
        A run called again by the scheduler once its time is up does nothing and reports what is left: the
        worker is free for the other jobs and this one is run again as soon as possible.
        """
        Queue = self.env["sysengage.ged.archive.queue"]
        if self.env["ir.cron"]._commit_progress() <= 0 and (waiting := Queue.sudo().search_count([])):
            # the cron worker ran this job for its share of time (Odoo runs a job at least 10 times and 10 s
            # before it lets the worker go): done nothing now, the rest waits, the worker takes the jobs waiting
            # (sending what was archived) and this job comes back at once
            self.env["ir.cron"]._commit_progress(remaining=waiting)
            return
        after_id = 0
        while True:
            rows = Queue._ged_lock_batch(after_id, batch_size)
            if not rows:
                break
            after_id = rows[-1].id
            companies = self._ged_archive_queued(rows)
            remaining = Queue.sudo().search_count([("id", ">", after_id)])
            self.env["ir.cron"]._commit_progress(len(rows), remaining=remaining)
            for company in companies:
                self._ged_timestamp_in_job(company)
            if not self.env["ir.cron"]._commit_progress():
                break  # out of time: the job runs again for the rest
        # archives made outside a batch (a print or send reusing its rendering) are stamped here too
        for (company,) in self.sudo()._read_group([("state", "=", "to_timestamp")], ["company_id"]):
            if self._ged_timestamp_in_job(company) is False:
                # another worker is stamping this chain: run again soon for what it may not cover
                self.env.ref("sysengage_ged.ir_cron_sysengage_ged_archive_pending")._trigger()
            self.env["ir.cron"]._commit_progress()

    @api.model
    def _ged_timestamp_in_job(self, company):
        """Stamp ``company``'s head from the job; ``False`` when another worker stamps it (or just did,
        after this transaction's snapshot: its rows cannot be stamped twice)."""
        try:
            with self.env.cr.savepoint():
                return self._ged_timestamp_company(company)
        except psycopg2.errors.SerializationFailure:
            return False

    @api.model
    def _ged_archive_queued(self, rows):
        """Archive the invoices of the queue ``rows`` locked by this transaction; return the
        companies whose chain grew. An invoice that cannot be rendered or signed keeps its row, with
        the error, for the next run; the others of the batch are archived."""
        moves = rows.move_id
        # a row of an invoice no longer posted cannot exist (leaving the posted state archives it
        # first); dropped rather than archived if one ever does
        stale = rows.filtered(lambda row: row.move_id.state != "posted")
        stale._ged_done()
        rows -= stale
        moves = rows.move_id
        pdfs, errors = moves._sysengage_ged_render_pdfs_safe()
        items = defaultdict(list)
        done = rows.browse()
        for row in rows:
            move = row.move_id
            if move.id in errors:
                row._ged_failed(errors[move.id])
                continue
            try:
                with self.env.cr.savepoint():
                    prepared = self._ged_prepare_files(move, move._sysengage_ged_files(pdfs[move.id]))
            except UserError as exc:
                row._ged_failed(exc)
                continue
            items[move.company_id].append((move, row.trigger, prepared))
            done |= row
        for company, company_items in items.items():
            self._ged_chain(company, company_items)
        # sent once archived (or now that their archive failed): see account.move._cron_account_move_send
        moves._sysengage_ged_wake_send_job()
        done._ged_done()
        return list(items)

    # ------------------------------------------------------------------
    # Verification
    # ------------------------------------------------------------------
    def _ged_verify(self):
        """Re-check hash, timestamp token, signature and chain links.

        :return: ``{archive: [(level, message)]}`` with level ``ok``/``warning``/``error``
        """
        report = {}
        # sudo: the neighbours in the company chain may be archives of invoices this user cannot read
        for archive in self:
            findings = []
            raw = base64.b64decode(archive.datas or b"")
            digest = chain.sha256_hex(raw)
            if digest == archive.sha256:
                findings.append(("ok", self.env._("File hash matches (SHA-256 %(hash)s).", hash=digest[:16])))
            else:
                findings.append(("error", self.env._("File altered: its SHA-256 no longer matches the archived hash.")))
            findings += archive._ged_verify_timestamp()
            findings += archive._ged_verify_signature(raw)
            findings += archive._ged_verify_links()
            report[archive] = findings
        return report

    def _ged_trust_anchors(self):
        company = self.company_id.sudo()
        anchors = []
        bundle = company._sysengage_ged_signing_bundle(raise_on_error=False)
        if bundle:
            anchors += bundle["chain"]
        if company.sysengage_ged_tsa_ca_cert:
            anchors += pades.load_certificates(base64.b64decode(company.sysengage_ged_tsa_ca_cert))
        return anchors

    def _ged_verify_timestamp(self):
        if self.timestamp_id:
            return self._ged_verify_batch_timestamp()
        if self.state != "timestamped" or not self.timestamp_token:
            return [
                (
                    "warning",
                    self.env._("Not timestamped yet: %(error)s", error=self.timestamp_error or self.env._("pending")),
                )
            ]
        # an archive of the time of per-file tokens: the token covers its own file hash
        status = pades.verify_timestamp_token(
            base64.b64decode(self.timestamp_token),
            bytes.fromhex(self.sha256 or "00" * 32),
            self._ged_trust_anchors(),
        )
        if not status["valid"]:
            return [("error", self.env._("Timestamp token signature is invalid."))]
        findings = []
        if status["intact"]:
            findings.append(("ok", self.env._("Timestamp token valid, issued %(time)s.", time=status["time"])))
        else:
            findings.append(("error", self.env._("Timestamp token does not cover the archived hash.")))
        if status["trusted"] is False:
            findings.append(("warning", self.env._("Timestamp authority not trusted by the configured certificates.")))
        return findings

    def _ged_verify_batch_timestamp(self):
        """The batch timestamp covering this archive: its token over the head hash, and the chain
        links from this archive up to that head (file hash → entry → chain → timestamped head)."""
        # sudo: the timestamp and the archives between this one and its head belong to the company
        # chain, whoever may read their invoices
        stamp = self.timestamp_id.sudo()
        findings = [
            (
                "ok",
                self.env._(
                    "Covered by timestamp #%(id)s of the chain head at position %(head)s.",
                    id=stamp.id,
                    head=stamp.sequence,
                ),
            )
        ]
        status = pades.verify_timestamp_token(
            base64.b64decode(stamp.token or b""),
            bytes.fromhex(stamp.chain_hash) if len(stamp.chain_hash or "") == 64 else b"\0" * 32,
            self._ged_trust_anchors(),
        )
        if not status["valid"]:
            return findings + [("error", self.env._("Timestamp token signature is invalid."))]
        if not status["intact"]:
            findings.append(
                (
                    "error",
                    self.env._("The timestamp token does not cover the recorded chain head (the head was altered)."),
                )
            )
        path = self.sudo().search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("sequence", ">=", self.sequence),
                ("sequence", "<=", stamp.sequence),
            ],
            ["sequence", "previous_hash", "chain_hash", "sha256", "move_id", "version", "kind"],
            order="sequence",
        )
        entries = [
            {
                "sequence": entry.sequence,
                "previous_hash": entry.previous_hash,
                "chain_hash": entry.chain_hash,
                "sha256": entry.sha256,
                "reference": entry._ged_reference(),
            }
            for entry in path
        ]
        problems = chain.verify_path(entries, {"sequence": stamp.sequence, "chain_hash": stamp.chain_hash})
        if problems:
            findings.append(
                (
                    "error",
                    self.env._(
                        "The chain from this archive to its timestamped head (position %(head)s) is broken "
                        "at position %(seq)s: the timestamp does not prove this archive.",
                        head=stamp.sequence,
                        seq=problems[0]["sequence"],
                    ),
                )
            )
        elif status["intact"]:
            findings.append(
                (
                    "ok",
                    self.env._(
                        "Timestamp token valid, issued %(time)s, over the chain head reached from this archive "
                        "through %(count)s link(s): the archive existed no later than that time.",
                        time=status["time"],
                        count=len(entries) - 1,
                    ),
                )
            )
        if status["trusted"] is False:
            findings.append(("warning", self.env._("Timestamp authority not trusted by the configured certificates.")))
        return findings

    def _ged_verify_signature(self, raw):
        if self.kind != "pdf":
            return []
        if not self.signed:
            return [("warning", self.env._("The PDF was archived without a signature (no company certificate)."))]
        status = pades.verify_pdf_signature(raw, self._ged_trust_anchors())
        if not status["readable"]:
            return [("error", self.env._("The PDF structure is damaged: its signature cannot be checked."))]
        if not status["found"]:
            return [("error", self.env._("The archive signature is missing from the PDF."))]
        if not (status["intact"] and status["valid"]):
            return [("error", self.env._("The PAdES signature does not match the document: the PDF was altered."))]
        findings = [("ok", self.env._("PAdES signature valid (%(signer)s).", signer=status["signer"]))]
        if status["trusted"] is False:
            findings.append(
                ("warning", self.env._("The signing certificate does not chain to the company certificate."))
            )
        return findings

    def _ged_verify_links(self):
        findings = []
        expected = chain.chain_hash(self.previous_hash, self.sequence, self.sha256, self._ged_reference())
        if expected != self.chain_hash:
            findings.append(("error", self.env._("The chain hash of this archive does not match its content.")))
        neighbours = self.sudo().search(
            [("company_id", "=", self.company_id.id), ("sequence", "in", [self.sequence - 1, self.sequence + 1])]
        )
        before = neighbours.filtered(lambda a: a.sequence == self.sequence - 1)
        after = neighbours.filtered(lambda a: a.sequence == self.sequence + 1)
        if self.sequence > 1 and not before:
            findings.append(
                ("error", self.env._("The previous archive (position %(seq)s) is missing.", seq=self.sequence - 1))
            )
        elif self.sequence == 1 and self.previous_hash != chain.GENESIS_HASH:
            findings.append(("error", self.env._("The first archive does not start the chain.")))
        elif before and before.chain_hash != self.previous_hash:
            findings.append(("error", self.env._("The previous archive was replaced or altered (chain broken).")))
        last = self.sudo().search([("company_id", "=", self.company_id.id)], order="sequence desc", limit=1)
        # the head anchors the newest position: a deleted tail shows as a missing next archive
        head = self.env["sysengage.ged.archive.head"]._ged_current(self.company_id)
        if not after and max(last.sequence, head.sequence) > self.sequence:
            findings.append(
                ("error", self.env._("The next archive (position %(seq)s) is missing.", seq=self.sequence + 1))
            )
        elif after and after.previous_hash != self.chain_hash:
            findings.append(("error", self.env._("The next archive does not follow this one (chain broken).")))
        if not any(level == "error" for level, _msg in findings):
            findings.append(("ok", self.env._("Chain links intact (position %(seq)s).", seq=self.sequence)))
        return findings

    def _ged_reference(self):
        return f"account.move,{self.move_id.id},v{self.version},{self.kind}"

    @api.model
    def _ged_verify_company_chain(self, company):
        """Full chain check of ``company``: gaps, swaps and altered links."""
        # sudo: the chain spans every archive of the company
        archives = self.sudo().search([("company_id", "=", company.id)], order="sequence")
        entries = [
            {
                "sequence": a.sequence,
                "previous_hash": a.previous_hash,
                "chain_hash": a.chain_hash,
                "sha256": a.sha256,
                "reference": a._ged_reference(),
                "label": a.name,
            }
            for a in archives
        ]
        head = self.env["sysengage.ged.archive.head"]._ged_current(company)
        anchor = None
        if head or entries:
            anchor = {
                "sequence": head.sequence,
                "chain_hash": head.chain_hash or chain.GENESIS_HASH,
                "label": self.env._("Chain head of %(company)s", company=company.name),
            }
        problems = chain.verify_chain(entries, head=anchor)
        problems += [
            {"label": move.display_name, "problem": "unarchived"} for move in self._ged_unarchived_moves(company)
        ]
        return problems

    @api.model
    def _ged_unarchived_moves(self, company):
        """Posted invoices of ``company`` in archiving journals that have no archive at all.

        Once the company has archives, invoices created before its first archived one are left out
        (posted before the archive was enabled).
        """
        if not company.sysengage_ged_archive_enabled:
            return self.env["account.move"]
        # sudo: the verification covers every invoice and archive of the company, whoever may read them
        first = self.sudo().search([("company_id", "=", company.id)], order="sequence", limit=1)
        domain = [
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            ("move_type", "in", self.env["account.move"].get_sale_types(include_receipts=True)),
            ("journal_id.sysengage_ged_archive", "=", True),
            ("sysengage_ged_archive_ids", "=", False),
            # waiting for the archive job: archived within seconds, not missing
            ("sysengage_ged_archive_queue_ids", "=", False),
        ]
        if first:
            domain.append(("id", ">=", first.move_id.id))
        return self.env["account.move"].sudo().search(domain, order="id")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_verify(self):
        """Verify the selected archives and show what was found."""
        report = self._ged_verify()
        return self.env["sysengage.ged.archive.verify"]._ged_open(report)

    def action_verify_company_chain(self):
        """Verify the whole chain of the current company."""
        problems = self._ged_verify_company_chain(self.env.company)
        messages = {
            "gap": self.env._("a record is missing before it"),
            "previous_mismatch": self.env._("it does not follow the previous record (removed or swapped)"),
            "chain_mismatch": self.env._("its chain hash does not match its content"),
            "truncated": self.env._("the newest archives are missing (the chain ends before its head)"),
            "head_mismatch": self.env._("the newest archive is not the one the chain head recorded"),
            "unarchived": self.env._("posted invoice without any archive"),
        }
        findings = [("error", "{}: {}".format(p["label"], messages[p["problem"]])) for p in problems] or [
            ("ok", self.env._("The archive chain of %(company)s is intact.", company=self.env.company.name))
        ]
        return self.env["sysengage.ged.archive.verify"]._ged_open({self.browse(): findings})

    def action_retry_timestamp(self):
        self._ged_timestamp(raise_on_error=True)
        return True

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}?download=true&field=datas&filename_field=file_name",
            "target": "download",
        }

    @api.model
    def _ged_within_retention_count(self):
        # sudo: counts every company's archives to protect them from an uninstall
        return self.sudo().search_count(
            Domain("retention_until", ">=", fields.Date.context_today(self)) | Domain("retention_until", "=", False)
        )
