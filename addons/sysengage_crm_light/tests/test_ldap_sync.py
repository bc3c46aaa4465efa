import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import ldap

from odoo.tests import tagged

from .common import CrmLightCommon

SUFFIX = "dc=sysengage,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PW = "directory-secret"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SlapdServer:
    """A throw-away OpenLDAP server (Debian's slapd) on loopback, with its own config and database."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="sg_slapd_"))
        self.port = _free_port()
        self.process = None

    def start(self):
        (self.tmp / "db").mkdir()
        config = self.tmp / "slapd.conf"
        config.write_text(
            "\n".join(
                [
                    "include /etc/ldap/schema/core.schema",
                    "include /etc/ldap/schema/cosine.schema",
                    "include /etc/ldap/schema/inetorgperson.schema",
                    f"pidfile {self.tmp}/slapd.pid",
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    "database mdb",
                    "maxsize 10485760",
                    f'suffix "{SUFFIX}"',
                    f'rootdn "{ROOT_DN}"',
                    f"rootpw {ROOT_PW}",
                    f"directory {self.tmp}/db",
                    "",
                ]
            )
        )
        slapd = shutil.which("slapd") or "/usr/sbin/slapd"
        self.process = subprocess.Popen(
            [slapd, "-f", str(config), "-h", f"ldap://127.0.0.1:{self.port}/", "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                self.admin().unbind_s()
                return
            except ldap.SERVER_DOWN:
                time.sleep(0.1)
        raise RuntimeError("slapd did not start")

    def admin(self):
        connection = ldap.initialize(f"ldap://127.0.0.1:{self.port}")
        connection.simple_bind_s(ROOT_DN, ROOT_PW)
        return connection

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)


def _person(uid, cn, mail, phone=None, title=None):
    attrs = [
        ("objectClass", [b"inetOrgPerson"]),
        ("uid", [uid.encode()]),
        ("cn", [cn.encode()]),
        ("sn", [cn.split()[-1].encode()]),
        ("mail", [mail.encode()]),
    ]
    if phone:
        attrs.append(("telephoneNumber", [phone.encode()]))
    if title:
        attrs.append(("title", [title.encode()]))
    return f"uid={uid},ou=people,{SUFFIX}", attrs


@tagged("post_install", "-at_install")
class TestLdapSync(CrmLightCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SlapdServer()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        admin = cls.server.admin()
        admin.add_s(
            SUFFIX, [("objectClass", [b"dcObject", b"organization"]), ("dc", [b"sysengage"]), ("o", [b"Sysengage"])]
        )
        admin.add_s(f"ou=people,{SUFFIX}", [("objectClass", [b"organizationalUnit"]), ("ou", [b"people"])])
        admin.add_s(f"ou=rooms,{SUFFIX}", [("objectClass", [b"organizationalUnit"]), ("ou", [b"rooms"])])
        for dn, attrs in (
            _person("lmeier", "Lea Meier", "Lea.Meier@example.ch", "+41 21 555 01 01", "Sales"),
            _person("pkeller", "Paul Keller", "paul.keller@example.ch", "+41 21 555 01 02", "Accounting"),
            _person("nrossi", "Nina Rossi", "nina.rossi@example.ch", None, "Support"),
        ):
            admin.add_s(dn, attrs)
        admin.unbind_s()
        cls.directory = (
            cls.env["sysengage.ldap.directory"]
            .sudo()
            .create(
                {
                    "name": "Test directory",
                    "host": "127.0.0.1",
                    "port": cls.server.port,
                    "bind_dn": ROOT_DN,
                    "bind_password": ROOT_PW,
                    "base_dn": f"ou=people,{SUFFIX}",
                    "search_filter": "(objectClass=inetOrgPerson)",
                    "parent_id": cls.env.company.partner_id.id,
                }
            )
        )
        # an existing contact with the same e-mail (other case), and one with the same name only
        cls.paul = cls.env["res.partner"].create({"name": "P. Keller", "email": "PAUL.KELLER@example.ch"})
        cls.nina = cls.env["res.partner"].create({"name": "Nina Rossi", "function": "Team lead"})

    def _modify(self, dn, attribute, value):
        admin = self.server.admin()
        admin.modify_s(dn, [(ldap.MOD_REPLACE, attribute, [value.encode()])])
        admin.unbind_s()

    def test_sync_matches_creates_and_protects_user_edits(self):
        directory = self.directory.with_user(self.manager)
        directory.action_sync()
        log = directory.log_ids[0]
        self.assertEqual(log.state, "done", log.message)
        self.assertEqual((log.entry_count, log.created_count), (3, 1))
        lea = self.env["res.partner"].search([("email", "=", "lea.meier@example.ch")])
        self.assertEqual(lea.name, "Lea Meier")
        self.assertEqual((lea.phone, lea.function), ("+41 21 555 01 01", "Sales"))
        self.assertEqual(lea.parent_id, self.env.company.partner_id)
        # matched on e-mail: blanks filled, the name a user typed kept
        self.assertEqual(self.paul.phone, "+41 21 555 01 02")
        self.assertEqual(self.paul.name, "P. Keller")
        # matched on name: e-mail filled, function typed by a user kept
        self.assertEqual(self.nina.email, "nina.rossi@example.ch")
        self.assertEqual(self.nina.function, "Team lead")
        self.assertEqual(log.protected_count, 2)
        self.assertEqual(len(directory.contact_ids), 3)

        # the directory changes; a user edits Lea's phone in Odoo
        self._modify(f"uid=lmeier,ou=people,{SUFFIX}", "title", "Head of sales")
        self._modify(f"uid=lmeier,ou=people,{SUFFIX}", "telephoneNumber", "+41 21 555 09 09")
        self._modify(f"uid=pkeller,ou=people,{SUFFIX}", "title", "Controller")
        lea.phone = "+41 79 000 00 00"
        directory.action_sync()
        log = directory.log_ids.sorted("id")[-1]
        self.assertEqual(log.created_count, 0)
        self.assertEqual(lea.function, "Head of sales", "a field the user left alone follows the directory")
        self.assertEqual(lea.phone, "+41 79 000 00 00", "a field the user edited is never overwritten")
        self.assertEqual(self.paul.function, "Controller")
        self.assertEqual(self.paul.name, "P. Keller", "still protected on later runs")
        self.assertEqual(self.nina.function, "Team lead")
        self.assertEqual(self.env["res.partner"].search_count([("email", "=ilike", "lea.meier@example.ch")]), 1)

    def test_wrong_password_logged_not_raised(self):
        self.directory.bind_password = "wrong"
        self.directory._sysengage_sync()
        log = self.directory.log_ids[0]
        self.assertEqual(log.state, "failed")
        self.assertTrue(log.message)

    def test_bind_password_reserved_to_system_group(self):
        field = self.env["sysengage.ldap.directory"]._fields["bind_password"]
        self.assertEqual(field.groups, "base.group_system")
        with self.assertRaises(Exception):  # noqa: B017 - AccessError on a field restricted by groups
            self.directory.with_user(self.manager).read(["bind_password"])
