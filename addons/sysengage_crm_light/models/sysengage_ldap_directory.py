import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..tools.ldap_merge import decode_attribute, normalize_email, normalize_name, plan_update

_logger = logging.getLogger(__name__)

try:
    import ldap
except ImportError:  # pragma: no cover - python-ldap is an external dependency of the addon
    ldap = None

DEFAULT_MAPPING = (
    ("cn", "name"),
    ("mail", "email"),
    ("telephoneNumber", "phone"),
    ("title", "function"),
)


class SysengageLdapDirectory(models.Model):
    """A company directory (OpenLDAP, Active Directory) whose people are copied into contacts.

    The sync is one way (directory -> Odoo): a contact is matched on its e-mail, then on its name,
    created when missing; a field a user edited since the last sync is never overwritten.
    """

    _name = "sysengage.ldap.directory"
    _description = "Sysengage LDAP Directory"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    host = fields.Char(required=True, default="localhost")
    port = fields.Integer(required=True, default=389)
    use_starttls = fields.Boolean(string="Use STARTTLS")
    bind_dn = fields.Char(string="Bind DN", help="Account used to read the directory; empty for an anonymous bind.")
    bind_password = fields.Char(groups="base.group_system", copy=False)
    base_dn = fields.Char(string="Base DN", required=True)
    search_filter = fields.Char(required=True, default="(objectClass=inetOrgPerson)")
    parent_id = fields.Many2one(
        "res.partner",
        string="Attach contacts to",
        check_company=True,
        help="Company the synchronised contacts are created under (e.g. your own company).",
    )
    mapping_ids = fields.One2many(
        "sysengage.ldap.mapping",
        "directory_id",
        string="Attribute mapping",
        copy=True,
        default=lambda self: self._default_mapping_ids(),
    )
    contact_ids = fields.One2many("sysengage.ldap.contact", "directory_id", string="Synchronised contacts")
    log_ids = fields.One2many("sysengage.ldap.sync.log", "directory_id", string="Run log")
    last_sync = fields.Datetime(readonly=True, copy=False)
    contact_count = fields.Integer(compute="_compute_contact_count")

    _port_valid = models.Constraint("CHECK(port > 0 AND port < 65536)", "The LDAP port must be between 1 and 65535.")

    @api.model
    def _default_mapping_ids(self):
        return [
            Command.create({"ldap_attribute": attribute, "field_name": fname}) for attribute, fname in DEFAULT_MAPPING
        ]

    def _compute_contact_count(self):
        counts = dict(
            self.env["sysengage.ldap.contact"]._read_group(
                [("directory_id", "in", self.ids)], ["directory_id"], ["__count"]
            )
        )
        for directory in self:
            directory.contact_count = counts.get(directory, 0)

    # ------------------------------------------------------------------
    # Directory access
    # ------------------------------------------------------------------
    def _sysengage_connect(self):
        self.ensure_one()
        if ldap is None:
            raise UserError(self.env._("The python-ldap library is not installed on the server."))
        connection = ldap.initialize(f"ldap://{self.host}:{self.port}")
        connection.set_option(ldap.OPT_REFERRALS, 0)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 10)
        connection.set_option(ldap.OPT_PROTOCOL_VERSION, 3)
        if self.use_starttls:
            connection.start_tls_s()
        # the bind password is readable by system administrators only: read it for the bind alone
        password = self.sudo().bind_password or ""
        connection.simple_bind_s(self.bind_dn or "", password)
        return connection

    def _sysengage_fetch_entries(self):
        """[(dn, {field name: text})] of the people the filter selects, mapped to contact fields."""
        self.ensure_one()
        attributes = {mapping.ldap_attribute: mapping.field_name for mapping in self.mapping_ids}
        connection = self._sysengage_connect()
        try:
            results = connection.search_s(self.base_dn, ldap.SCOPE_SUBTREE, self.search_filter, list(attributes))
        finally:
            connection.unbind_s()
        entries = []
        for dn, raw in results:
            if not dn:
                continue  # referrals
            lowered = {key.lower(): value for key, value in raw.items()}
            values = {
                fname: decode_attribute(lowered.get(attribute.lower())) for attribute, fname in attributes.items()
            }
            if values.get("email"):
                values["email"] = values["email"].lower()
            entries.append((dn, values))
        return entries

    def action_test_connection(self):
        self.ensure_one()
        try:
            self._sysengage_connect().unbind_s()
        except Exception as error:
            raise UserError(
                self.env._("Connection to %(host)s failed: %(error)s", host=self.host, error=error)
            ) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "message": self.env._("Connection to the directory succeeded.")},
        }

    # ------------------------------------------------------------------
    # Synchronisation
    # ------------------------------------------------------------------
    def action_sync(self):
        logs = self.env["sysengage.ldap.sync.log"]
        for directory in self:
            logs |= directory._sysengage_sync()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sysengage.ldap.sync.log",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", logs.ids)],
            "name": self.env._("Run log"),
        }

    @api.model
    def _cron_sync(self):
        directories = self.search([])
        self.env["ir.cron"]._commit_progress(remaining=len(directories))
        for directory in directories:
            directory._sysengage_sync()
            # each directory's run (and its log) is committed on its own
            if not self.env["ir.cron"]._commit_progress(1):
                break

    def _sysengage_sync(self):
        """Run one sync and return its log line; a directory failure is logged, not raised."""
        self.ensure_one()
        log = self.env["sysengage.ldap.sync.log"].create({"directory_id": self.id, "date_start": fields.Datetime.now()})
        try:
            entries = self._sysengage_fetch_entries()
        except Exception as error:
            _logger.warning("LDAP sync of %s failed: %s", self.name, error)
            log.write({"state": "failed", "date_end": fields.Datetime.now(), "message": str(error)})
            return log
        stats = self._sysengage_apply_entries(entries)
        log.write(
            {
                "state": "done",
                "date_end": fields.Datetime.now(),
                "entry_count": len(entries),
                "created_count": stats["created"],
                "updated_count": stats["updated"],
                "unchanged_count": stats["unchanged"],
                "protected_count": stats["protected"],
                "message": "\n".join(stats["details"]),
            }
        )
        self.last_sync = fields.Datetime.now()
        return log

    def _sysengage_apply_entries(self, entries):
        """Create or update the contacts of ``entries``; returns counters and detail lines."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        stats = {"created": 0, "updated": 0, "unchanged": 0, "protected": 0, "details": []}
        links = {link.dn: link for link in self.contact_ids}
        fields_mapped = list({mapping.field_name for mapping in self.mapping_ids})
        emails = {normalize_email(values.get("email")) for _dn, values in entries if values.get("email")}
        names = {values.get("name") for _dn, values in entries if values.get("name")}
        by_email = {}
        for partner in Partner.search([("email_normalized", "in", list(emails))], order="id") if emails else Partner:
            by_email.setdefault(partner.email_normalized, partner)
        by_name = {}
        for partner in Partner.search([("name", "in", list(names))], order="id") if names else Partner:
            by_name.setdefault(normalize_name(partner.name), partner)
        link_vals = []
        for dn, values in entries:
            link = links.get(dn)
            partner = link.partner_id if link else None
            if not partner:
                partner = by_email.get(normalize_email(values.get("email"))) or by_name.get(
                    normalize_name(values.get("name"))
                )
            if not partner:
                if not values.get("name"):
                    stats["details"].append(self.env._("%(dn)s: no name, skipped.", dn=dn))
                    continue
                partner = Partner.create(self._sysengage_prepare_partner_vals(values))
                stats["created"] += 1
                link_vals.append({"directory_id": self.id, "dn": dn, "partner_id": partner.id, "synced_values": values})
                continue
            current = {fname: partner[fname] or "" for fname in fields_mapped}
            to_write, protected = plan_update(values, current, link.synced_values if link else None)
            if to_write:
                partner.write(to_write)
                stats["updated"] += 1
            else:
                stats["unchanged"] += 1
            if protected:
                stats["protected"] += 1
                stats["details"].append(
                    self.env._(
                        "%(name)s: kept the user's %(fields)s.", name=partner.display_name, fields=", ".join(protected)
                    )
                )
            # fields a user protected keep their previous synced value (or none): still protected next run
            synced = dict((link.synced_values or {}) if link else {})
            synced.update({fname: value for fname, value in values.items() if fname not in protected})
            if link:
                link.write({"synced_values": synced, "partner_id": partner.id})
            else:
                link_vals.append({"directory_id": self.id, "dn": dn, "partner_id": partner.id, "synced_values": synced})
        if link_vals:
            self.env["sysengage.ldap.contact"].create(link_vals)
        return stats

    def _sysengage_prepare_partner_vals(self, values):
        vals = {fname: value for fname, value in values.items() if value}
        vals["type"] = "contact"
        if self.parent_id:
            vals["parent_id"] = self.parent_id.id
        return vals
