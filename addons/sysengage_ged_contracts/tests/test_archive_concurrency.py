"""Two users and the contracts cron posting at once in one archiving company, with real commits;
then the archive job archives what they queued.

Before the chain head, the second of two concurrent archivers computed the same chain position
from its old snapshot and failed on the unique index (8 of 16 postings lost).
"""

import io
import threading
import uuid
from contextlib import contextmanager
from datetime import date
from functools import partial
from unittest.mock import patch

from reportlab.pdfgen import canvas

from odoo import Command, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.sysengage_base.tests.common import SysengageCommittedCase
from odoo.addons.sysengage_ged.models.account_move import AccountMove as GedAccountMove

REFERENCE_DATE = date(2026, 3, 15)
INVOICES_PER_USER = 8
CONTRACT_COUNT = 6
PERIODS_DUE = 3  # January to March 2026


def _small_pdf(moves):
    """A one-page PDF per move (the chain is under test here, not the invoice layout)."""
    result = {}
    for move in moves:
        buffer = io.BytesIO()
        document = canvas.Canvas(buffer)
        document.drawString(100, 700, f"Invoice {move.id}")
        document.showPage()
        document.save()
        result[move.id] = buffer.getvalue()
    return result


@contextmanager
def threads_run(threads, render):
    """Run ``threads`` to their end, the archive rendering replaced by ``render``; the block runs with
    the same patches. The test runner holds the registry class lock while tests run; the workers'
    environments would wait for it forever (Environment() looks the registry up), as HttpCase does, use
    a dummy."""
    with (
        patch.object(GedAccountMove, "_sysengage_ged_render_pdf", render),
        patch.object(Registry, "_lock", DummyRLock()),
    ):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        yield


@tagged("post_install", "-at_install")
class TestArchiveConcurrency(SysengageCommittedCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            self.company_id = company.id
            self.archive_was_enabled = company.sysengage_ged_archive_enabled
            company.sysengage_ged_archive_enabled = True
            cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM sysengage_ged_archive_head"))
            self.last_head_id = cr.fetchone()[0]
            cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM sysengage_ged_archive_timestamp"))
            self.last_timestamp_id = cr.fetchone()[0]
            journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
            customer = env["res.partner"].create(
                {
                    "name": "Archive Concurrency AG",
                    "is_company": True,
                    "street": "Seestrasse 1",
                    "zip": "6003",
                    "city": "Luzern",
                    "country_id": env.ref("base.ch").id,
                    # an existing customer: Odoo raises the rank of a new one in the posting
                    # transaction itself (a write every concurrent poster makes), not the case here
                    "customer_rank": 1,
                }
            )
            product = env["product.product"].create({"name": "Archive concurrency service", "type": "service"})
            users = [
                new_test_user(
                    env,
                    login=f"ged_concurrent_{index}_{uuid.uuid4().hex[:8]}",
                    groups="base.group_user,account.group_account_invoice",
                    company_id=company.id,
                )
                for index in range(2)
            ]
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "partner_id": customer.id,
                        "invoice_date": REFERENCE_DATE,
                        "invoice_line_ids": [
                            Command.create({"product_id": product.id, "price_unit": 100.0 + index, "tax_ids": []})
                        ],
                    }
                    for index in range(2 * INVOICES_PER_USER)
                ]
            )
            contracts = env["sysengage.contract"].create(
                [
                    {
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "currency_id": journal.currency_id.id or company.currency_id.id,
                        "date_start": date(2026, 1, 1),
                        "group_invoices": False,
                        "auto_post": True,
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "quantity": 1,
                                    "price_forced": True,
                                    "price_unit": 50.0 + index,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for index in range(CONTRACT_COUNT)
                ]
            )
            contracts.action_start()
            self.user_ids = [user.id for user in users]
            self.invoice_ids = invoices.ids
            self.contract_ids = contracts.ids
            self.customer_id = customer.id
            self.product_id = product.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            moves = env["account.move"].search(
                ["|", ("id", "in", self.invoice_ids), ("line_ids.sysengage_contract_id", "in", self.contract_ids)]
            )
            # test data only: the archive guards are lifted by the database owner, as the security
            # documentation says it can, to remove what this test archived
            env.flush_all()
            cr.execute(SQL("ALTER TABLE sysengage_ged_archive DISABLE TRIGGER USER"))
            cr.execute(SQL("ALTER TABLE sysengage_ged_archive_head DISABLE TRIGGER USER"))
            cr.execute(SQL("ALTER TABLE sysengage_ged_archive_timestamp DISABLE TRIGGER USER"))
            cr.execute(SQL("DELETE FROM sysengage_ged_archive WHERE move_id IN %s", tuple(moves.ids) or (0,)))
            cr.execute(SQL("DELETE FROM sysengage_ged_archive_head WHERE id > %s", self.last_head_id))
            cr.execute(SQL("DELETE FROM sysengage_ged_archive_timestamp WHERE id > %s", self.last_timestamp_id))
            cr.execute(SQL("ALTER TABLE sysengage_ged_archive ENABLE TRIGGER USER"))
            cr.execute(SQL("ALTER TABLE sysengage_ged_archive_head ENABLE TRIGGER USER"))
            cr.execute(SQL("ALTER TABLE sysengage_ged_archive_timestamp ENABLE TRIGGER USER"))
            env.invalidate_all()
            posted = moves.filtered(lambda move: move.state == "posted")
            posted.button_draft()
            moves.with_context(force_delete=True).unlink()
            contracts = env["sysengage.contract"].browse(self.contract_ids)
            contracts.write({"state": "draft", "next_period_start": False})
            contracts.unlink()
            env["res.users"].browse(self.user_ids).active = False
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.customer_id).unlink()
            env.ref("base.main_company").sysengage_ged_archive_enabled = self.archive_was_enabled

    def _post_as(self, user_id, invoice_ids, barrier, errors):
        try:
            barrier.wait(timeout=30)
            for invoice_id in invoice_ids:
                # one request per invoice, retried on concurrency errors as Odoo's RPC dispatcher does
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, user_id, {})
                    retrying(
                        partial(
                            lambda env, invoice_id: env["account.move"].browse(invoice_id).action_post(),
                            env,
                            invoice_id,
                        ),
                        env,
                    )
        except Exception as error:  # reported by the test
            errors.append(error)

    def _run_cron(self, barrier, errors):
        try:
            barrier.wait(timeout=30)
            with self.registry.cursor() as cr:
                self._env(cr)["sysengage.contract"]._cron_generate_invoices(batch_size=2, reference_date=REFERENCE_DATE)
        except Exception as error:  # reported by the test
            errors.append(error)

    def test_two_users_and_the_cron_post_at_once(self):
        barrier = threading.Barrier(3)
        errors = []
        half = INVOICES_PER_USER
        threads = [
            threading.Thread(target=self._post_as, args=(self.user_ids[0], self.invoice_ids[:half], barrier, errors)),
            threading.Thread(target=self._post_as, args=(self.user_ids[1], self.invoice_ids[half:], barrier, errors)),
            threading.Thread(target=self._run_cron, args=(barrier, errors)),
        ]
        with threads_run(threads, _small_pdf):
            self.assertFalse(errors, errors)
            # the postings queued their archives; the job (woken up by them) archives them
            with self.registry.cursor() as cr:
                self._env(cr)["sysengage.ged.archive"]._cron_ged_archive_pending(batch_size=5)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env["res.company"].browse(self.company_id)
            invoices = env["account.move"].browse(self.invoice_ids)
            contract_moves = env["account.move"].search([("line_ids.sysengage_contract_id", "in", self.contract_ids)])
            self.assertEqual(len(contract_moves), CONTRACT_COUNT * PERIODS_DUE)
            moves = invoices | contract_moves
            self.assertEqual(set(moves.mapped("state")), {"posted"}, "no posting lost")
            for move in moves:
                self.assertEqual(len(move.sysengage_ged_archive_ids), 1, move.display_name)
            archives = env["sysengage.ged.archive"].search([("company_id", "=", company.id)], order="sequence")
            sequences = archives.mapped("sequence")
            self.assertEqual(sequences, list(range(sequences[0], sequences[0] + len(sequences))), "chain contiguous")
            self.assertEqual(env["sysengage.ged.archive"]._ged_verify_company_chain(company), [])
            head = env["sysengage.ged.archive.head"]._ged_current(company)
            self.assertEqual((head.sequence, head.chain_hash), (archives[-1].sequence, archives[-1].chain_hash))
