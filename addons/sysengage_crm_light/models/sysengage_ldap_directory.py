import logging
import os
import tempfile
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command, Domain

from ..tools.ldap_merge import GUID_ATTRIBUTES, decode_attribute, entry_key, normalize_email, plan_update

_logger = logging.getLogger(__name__)

try:
    import ldap
    from ldap.controls import SimplePagedResultsControl
except ImportError:  # pragma: no cover - python-ldap is an external dependency of the addon
    ldap = None

# entries asked per page (RFC 2696): below Active Directory's MaxPageSize of 1,000
PAGE_SIZE = 500
# server settings the bind password follows: only those who may see the password change them
SECRET_BOUND_FIELDS = ("host", "port", "tls_mode", "tls_verify", "tls_ca_cert", "bind_dn")

DEFAULT_MAPPING = (
    ("cn", "name"),
    ("mail", "email"),
    ("telephoneNumber", "phone"),
    ("title", "function"),
)


class SysengageLdapDirectory(models.Model):
    """A company directory (OpenLDAP, Active Directory) whose people are copied into contacts.

    The sync is one way (directory -> Odoo): an entry is linked to its contact by its stable
    identifier (entryUUID / objectGUID, else its DN); a new entry is matched on its e-mail among the
    contacts of the directory's company, created when missing; a field a user edited since the last
    sync is never overwritten; people removed from the directory are archived.
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
    tls_mode = fields.Selection(
        [("starttls", "StartTLS"), ("ldaps", "LDAPS (ldaps://)"), ("none", "None (plain LDAP, unencrypted)")],
        string="Encryption",
        required=True,
        default="starttls",
    )
    tls_verify = fields.Boolean(
        string="Check the certificate", default=True, help="Refuse a server whose certificate is not trusted."
    )
    tls_ca_cert = fields.Text(
        string="CA certificate (PEM)", help="Certificate authority of the directory, when not trusted by the server OS."
    )
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

    @api.constrains("host")
    def _check_host(self):
        for directory in self:
            host = directory.host or ""
            if not host or any(char in host for char in "/ ?#@\\") or host.startswith("-"):
                raise ValidationError(
                    self.env._("%(host)s is not a directory host name or address.", host=directory.host)
                )

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
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        changed = [fname for fname in SECRET_BOUND_FIELDS if fname in vals]
        if changed and not self.env.is_system():
            # the stored bind password would follow the new server: only who may read it may move it
            # (narrow sudo: whether a password is set, read by the check alone)
            with_secret = self.sudo().filtered("bind_password")
            moved = with_secret.filtered(lambda d: any(d[fname] != vals[fname] for fname in changed))
            if moved:
                raise AccessError(
                    self.env._(
                        "Only a system administrator may change the server of %(name)s: "
                        "its bind password would be sent to the new server.",
                        name=moved[0].name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Directory access
    # ------------------------------------------------------------------
    @contextmanager
    def _sysengage_connection(self):
        """A bound connection (TLS checked as configured), unbound and cleaned up on exit."""
        self.ensure_one()
        if ldap is None:
            raise UserError(self.env._("The python-ldap library is not installed on the server."))
        scheme = "ldaps" if self.tls_mode == "ldaps" else "ldap"
        connection = ldap.initialize(f"{scheme}://{self.host}:{self.port}")
        ca_path = None
        try:
            connection.set_option(ldap.OPT_REFERRALS, 0)
            connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 10)
            connection.set_option(ldap.OPT_TIMEOUT, 120)
            connection.set_option(ldap.OPT_PROTOCOL_VERSION, 3)
            if self.tls_mode != "none":
                connection.set_option(
                    ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND if self.tls_verify else ldap.OPT_X_TLS_NEVER
                )
                if self.tls_ca_cert:
                    handle, ca_path = tempfile.mkstemp(prefix="sysengage_ldap_ca_", suffix=".pem")
                    with os.fdopen(handle, "w") as ca_file:
                        ca_file.write(self.tls_ca_cert)
                    connection.set_option(ldap.OPT_X_TLS_CACERTFILE, ca_path)
                # a new TLS context with the options above (must come last)
                connection.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
                if self.tls_mode == "starttls":
                    connection.start_tls_s()
            # the bind password is readable by system administrators only: read it for the bind alone
            password = self.sudo().bind_password or ""
            connection.simple_bind_s(self.bind_dn or "", password)
            yield connection
        finally:
            try:
                connection.unbind_s()
            except ldap.LDAPError:
                _logger.debug("LDAP unbind of %s failed", self.name)
            if ca_path:
                os.unlink(ca_path)

    def _paged_search(self, connection, attributes):
        """All entries of the search, page by page (RFC 2696), whatever the server's size limit per answer."""
        control = SimplePagedResultsControl(True, size=PAGE_SIZE, cookie="")
        results = []
        while True:
            message_id = connection.search_ext(
                self.base_dn, ldap.SCOPE_SUBTREE, self.search_filter, attributes, serverctrls=[control]
            )
            _type, data, _message_id, server_controls = connection.result3(message_id)
            results.extend(data)
            cookies = [
                ctrl.cookie for ctrl in server_controls if ctrl.controlType == SimplePagedResultsControl.controlType
            ]
            if not cookies or not cookies[0]:
                return results
            control.cookie = cookies[0]

    def _fetch_entries(self):
        """[(key, dn, {field name: text})] of the people the filter selects, mapped to contact fields.

        ``key`` is the entry's stable identifier (entryUUID, objectGUID) or, without one, its DN.
        """
        self.ensure_one()
        attributes = {mapping.ldap_attribute: mapping.field_name for mapping in self.mapping_ids}
        with self._sysengage_connection() as connection:
            results = self._paged_search(connection, [*attributes, *GUID_ATTRIBUTES])
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
            entries.append((entry_key(dn, raw), dn, values))
        return entries

    def action_test_connection(self):
        self.ensure_one()
        try:
            with self._sysengage_connection():
                pass
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
            logs |= directory._sync()
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
            directory._sync()
            # each directory's run (and its log) is committed on its own
            if not self.env["ir.cron"]._commit_progress(1):
                break

    def _sync(self):
        """Run one sync and return its log line; a directory failure is logged, not raised."""
        self.ensure_one()
        log = self.env["sysengage.ldap.sync.log"].create({"directory_id": self.id, "date_start": fields.Datetime.now()})
        try:
            entries = self._fetch_entries()
        except Exception as error:
            # nothing was changed: a partial read never archives anyone
            _logger.warning("LDAP sync of %s failed: %s", self.name, error)
            log.write({"state": "failed", "date_end": fields.Datetime.now(), "message": str(error)})
            return log
        stats = self._apply_entries(entries)
        log.write(
            {
                "state": "done",
                "date_end": fields.Datetime.now(),
                "entry_count": len(entries),
                "created_count": stats["created"],
                "updated_count": stats["updated"],
                "unchanged_count": stats["unchanged"],
                "protected_count": stats["protected"],
                "archived_count": stats["archived"],
                "error_count": stats["errors"],
                "message": "\n".join(stats["details"]),
            }
        )
        self.last_sync = fields.Datetime.now()
        return log

    def _get_partner_domain(self):
        """Contacts an entry may be matched with: those of the directory's company only."""
        return Domain("company_id", "=", self.company_id.id or False)

    def _apply_entries(self, entries):
        """Create, update or archive the contacts of ``entries`` ([(key, dn, values)]); returns counters."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_context(active_test=False)
        stats = {"created": 0, "updated": 0, "unchanged": 0, "protected": 0, "archived": 0, "errors": 0, "details": []}
        links_by_key = {}
        for link in self.contact_ids.with_context(active_test=False):
            links_by_key[link.key or link.dn] = link
            links_by_key.setdefault(link.dn, link)
        emails = {normalize_email(values.get("email")) for _key, _dn, values in entries if values.get("email")}
        by_email = {}
        if emails:
            domain = self._get_partner_domain() & Domain("email_normalized", "in", list(emails))
            for partner in Partner.search(domain, order="id"):
                by_email.setdefault(partner.email_normalized, partner)
        seen = self.env["sysengage.ldap.contact"]
        for key, dn, values in entries:
            link = links_by_key.get(key) or links_by_key.get(dn)
            if link:
                seen |= link
            try:
                # one entry at a time: a refused entry leaves no half-written contact or link behind
                with self.env.cr.savepoint():
                    link = self._apply_entry(key, dn, values, link, by_email, stats)
                    seen |= link
            except (UserError, ValidationError) as error:
                stats["errors"] += 1
                stats["details"].append(self.env._("%(dn)s: %(error)s", dn=dn, error=error.args[0]))
        gone = (self.contact_ids - seen).partner_id.filtered("active")
        if gone:
            gone.action_archive()
            stats["archived"] = len(gone)
            stats["details"].append(
                self.env._("Archived, no longer in the directory: %(names)s", names=", ".join(gone.mapped("name")))
            )
        return stats

    def _apply_entry(self, key, dn, values, link, by_email, stats):
        """Write one directory entry to its contact (created if needed); returns its link."""
        if not values.get("name"):
            raise UserError(self.env._("the entry has no name, it was not synchronised."))
        fields_mapped = list({mapping.field_name for mapping in self.mapping_ids})
        partner = link.partner_id if link else None
        if not partner:
            partner = by_email.get(normalize_email(values.get("email")))
        if not partner:
            partner = self.env["res.partner"].create(self._prepare_partner_vals(values))
            stats["created"] += 1
            return self.env["sysengage.ldap.contact"].create(
                {"directory_id": self.id, "key": key, "dn": dn, "partner_id": partner.id, "synced_values": values}
            )
        if not partner.active:
            partner.action_unarchive()  # back in the directory
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
        link_vals = {"key": key, "dn": dn, "synced_values": synced, "partner_id": partner.id}
        if link:
            link.write(link_vals)
            return link
        return self.env["sysengage.ldap.contact"].create(dict(link_vals, directory_id=self.id))

    def _prepare_partner_vals(self, values):
        vals = {fname: value for fname, value in values.items() if value}
        vals["type"] = "contact"
        vals["company_id"] = self.company_id.id
        if self.parent_id:
            vals["parent_id"] = self.parent_id.id
        return vals
