from odoo.tests import tagged

from .common import SysengageCommon


@tagged("post_install", "-at_install")
class TestEventMixin(SysengageCommon):
    """Creations, changes, archiving, sends and exports are logged on customers and invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sysengage_base.group_manager")

    def _events(self, record, event_type=None):
        domain = [("res_model", "=", record._name), ("res_id", "in", record.ids)]
        if event_type:
            domain.append(("event_type", "=", event_type))
        return self.env["sysengage.event"].search(domain)

    def test_create_logged_in_one_batch(self):
        partners = self.env["res.partner"].create([{"name": f"Batch {index} AG"} for index in range(5)])
        events = self._events(partners, "create")
        self.assertEqual(len(events), 5)
        self.assertEqual(set(events.mapped("res_id")), set(partners.ids))
        self.assertEqual(events.user_id, self.env.user)
        self.assertEqual(events[0].res_name, self.env["res.partner"].browse(events[0].res_id).display_name)

    def test_write_logs_old_and_new_values(self):
        customer = self._create_customer("Alpha AG")
        customer.write({"city": "Basel", "zip": "4051"})
        event = self._events(customer, "write")
        self.assertEqual(len(event), 1)
        changes = {change.field_name: (change.old_value, change.new_value) for change in event.change_ids}
        self.assertEqual(changes["city"], ("Zürich", "Basel"))
        self.assertEqual(changes["zip"], ("8001", "4051"))
        self.assertIn("Basel", event.change_summary)

    def test_write_formats_relations(self):
        customer = self._create_customer("Beta AG")
        germany = self.env.ref("base.de")
        customer.country_id = germany
        change = self._events(customer, "write").change_ids.filtered(lambda c: c.field_name == "country_id")
        self.assertEqual((change.old_value, change.new_value), ("Switzerland", germany.display_name))

    def test_write_without_change_logs_nothing(self):
        customer = self._create_customer("Gamma AG")
        customer.write({"city": "Zürich"})
        customer.write({"comment": "<p>not a tracked field</p>"})
        self.assertFalse(self._events(customer, "write"))

    def test_archive_and_restore(self):
        customer = self._create_customer("Delta AG")
        customer.action_archive()
        archive = self._events(customer, "archive")
        self.assertEqual(len(archive), 1)
        customer.action_unarchive()
        restored = self._events(customer, "write")
        self.assertEqual(len(restored), 1)
        self.assertEqual(restored.change_ids.new_value, "Yes")

    def test_batched_write_no_query_storm(self):
        few = self.env["res.partner"].create([{"name": f"Few {index}", "city": "Bern"} for index in range(2)])
        many = self.env["res.partner"].create([{"name": f"Many {index}", "city": "Bern"} for index in range(30)])
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        few.write({"city": "Thun"})
        self.env.flush_all()
        queries_few = self.env.cr.sql_log_count - start
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        many.write({"city": "Thun"})
        self.env.flush_all()
        queries_many = self.env.cr.sql_log_count - start
        self.assertEqual(len(self._events(many, "write")), 30)
        # logging 30 changes costs the same number of queries as logging 2
        self.assertLessEqual(queries_many, queries_few + 2)

    def test_buffer_only_from_server_code(self):
        from odoo.addons.sysengage_base.models.sysengage_event_mixin import SysengageEventBuffer

        customer = self._create_customer("Buffer AG")
        # a plain list (what an RPC context can hold) never diverts the events
        customer.with_context(sysengage_event_buffer=[]).write({"city": "Sion"})
        self.assertEqual(len(self._events(customer, "write")), 1)
        buffer = SysengageEventBuffer()
        customer.with_context(sysengage_event_buffer=buffer).write({"city": "Chur"})
        customer.with_context(sysengage_event_buffer=buffer).write({"city": "Aarau"})
        self.assertEqual(len(self._events(customer, "write")), 1)
        self.assertEqual(len(buffer), 2)
        customer._sysengage_flush_events(buffer)
        self.assertEqual(len(self._events(customer, "write")), 3)
        self.assertFalse(buffer)
        # a new empty buffer is not the flushed one (environments are shared between equal contexts)
        other = SysengageEventBuffer()
        customer.with_context(sysengage_event_buffer=other).write({"city": "Olten"})
        self.assertEqual((len(other), len(buffer)), (1, 0))

    def test_invoice_events(self):
        customer = self._create_customer("Epsilon AG")
        invoice = self._create_invoice(customer, [(self._create_service(), 1, 100.0)])
        self.assertEqual(len(self._events(invoice, "create")), 1)
        invoice.action_post()
        change = self._events(invoice, "write").change_ids.filtered(lambda c: c.field_name == "state")
        self.assertEqual((change.old_value, change.new_value), ("Draft", "Posted"))
        self.assertEqual(self._events(invoice).company_id, self.company)
        self.assertEqual(invoice.sysengage_event_count, len(self._events(invoice)))

    def test_send_with_document_logged(self):
        customer = self._create_customer("Zeta AG")
        attachment = self.env["ir.attachment"].create(
            {"name": "offer.pdf", "raw": b"%PDF-1.4 test", "res_model": "res.partner", "res_id": customer.id}
        )
        customer.message_post(
            body="Your document",
            subject="Offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=customer.ids,
            attachment_ids=attachment.ids,
        )
        event = self._events(customer, "send")
        self.assertEqual(len(event), 1)
        self.assertIn("offer.pdf", event.description)
        self.assertIn("Zeta AG", event.description)

    def test_incoming_email_not_a_send(self):
        customer = self._create_customer("Incoming AG")
        attachment = self.env["ir.attachment"].create({"name": "order.pdf", "raw": b"%PDF-1.4 order"})
        customer.message_post(
            body="Our order",
            message_type="email",
            author_id=customer.id,
            partner_ids=self.env.user.partner_id.ids,
            attachment_ids=attachment.ids,
        )
        self.assertFalse(self._events(customer, "send"))

    def test_note_or_mail_without_document_not_a_send(self):
        customer = self._create_customer("Eta AG")
        customer.message_post(body="internal", message_type="comment", subtype_xmlid="mail.mt_note")
        customer.message_post(
            body="hello", message_type="comment", subtype_xmlid="mail.mt_comment", partner_ids=customer.ids
        )
        self.assertFalse(self._events(customer, "send"))

    def test_export_logged(self):
        customers = self._create_customer("Theta AG") | self._create_customer("Iota AG")
        customers.export_data(["name", "city"])
        self.assertEqual(len(self._events(customers, "export")), 2)

    def test_log_by_hand(self):
        customer = self._create_customer("Kappa AG")
        customer._sysengage_log_event("print", "Printed by hand", changes={"city": ("Bern", "Zürich")})
        event = self._events(customer, "print")
        self.assertEqual(event.description, "Printed by hand")
        self.assertEqual(event.change_ids.new_value, "Zürich")

    def test_smart_button_action(self):
        customer = self._create_customer("Lambda AG")
        action = customer.action_sysengage_open_events()
        self.assertEqual(self.env["sysengage.event"].search(action["domain"]), self._events(customer))
        self.assertEqual(customer.sysengage_event_count, 1)

    def test_open_record(self):
        customer = self._create_customer("Mu AG")
        action = self._events(customer).action_open_record()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", customer.id))

    def test_shared_partner_event_has_no_company(self):
        customer = self._create_customer("Nu AG", company_id=False)
        self.assertFalse(self._events(customer).company_id)
