import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import ldap

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmLightCommon

SUFFIX = "dc=sysengage,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PW = "directory-secret"
READER_DN = f"cn=reader,{SUFFIX}"
READER_PW = b"reader-secret"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SlapdServer:
    """A throw-away OpenLDAP server (Debian's slapd) on loopback, with its own config and database.

    ``size_limit`` sets the server's size limit (olcSizeLimit) for every account but the root one,
    with paged searches allowed past it, as Active Directory answers: at most ``size_limit`` entries
    per answer or page. ``tls`` adds a self-signed certificate and an ldaps:// listener.
    """

    def __init__(self, size_limit=None, tls=False):
        self.tmp = Path(tempfile.mkdtemp(prefix="sg_slapd_"))
        self.port = _free_port()
        self.ldaps_port = _free_port() if tls else None
        self.size_limit = size_limit
        self.tls = tls
        self.process = None

    def _make_certificate(self):
        """A test certificate authority and a server certificate for localhost signed by it; returns the CA (PEM)."""

        def openssl(*args):
            subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=self.tmp)

        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", "ca-key.pem",
                "-out", "ca.pem", "-subj", "/CN=Sysengage test CA")  # fmt: skip
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "server.csr",
                "-subj", "/CN=localhost")  # fmt: skip
        (self.tmp / "server.ext").write_text(
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
        )
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-days", "2", "-extfile", "server.ext", "-out", "cert.pem")  # fmt: skip
        return (self.tmp / "ca.pem").read_text()

    def start(self):
        (self.tmp / "db").mkdir()
        lines = [
            "include /etc/ldap/schema/core.schema",
            "include /etc/ldap/schema/cosine.schema",
            "include /etc/ldap/schema/inetorgperson.schema",
            f"pidfile {self.tmp}/slapd.pid",
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
        ]
        if self.size_limit:
            limit = self.size_limit
            lines.append(f"sizelimit size.soft={limit} size.hard={limit} size.pr={limit} size.prtotal=unlimited")
        urls = [f"ldap://127.0.0.1:{self.port}/"]
        if self.tls:
            self.certificate = self._make_certificate()
            lines += [f"TLSCertificateFile {self.tmp}/cert.pem", f"TLSCertificateKeyFile {self.tmp}/key.pem"]
            urls.append(f"ldaps://127.0.0.1:{self.ldaps_port}/")
        lines += [
            "database mdb",
            "maxsize 104857600",
            f'suffix "{SUFFIX}"',
            f'rootdn "{ROOT_DN}"',
            f"rootpw {ROOT_PW}",
            f"directory {self.tmp}/db",
            "",
        ]
        config = self.tmp / "slapd.conf"
        config.write_text("\n".join(lines))
        slapd = shutil.which("slapd") or "/usr/sbin/slapd"
        self.process = subprocess.Popen(
            [slapd, "-f", str(config), "-h", " ".join(urls), "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                self.admin().unbind_s()
                break
            except ldap.SERVER_DOWN:
                time.sleep(0.1)
        else:
            raise RuntimeError("slapd did not start")
        admin = self.admin()
        admin.add_s(
            SUFFIX, [("objectClass", [b"dcObject", b"organization"]), ("dc", [b"sysengage"]), ("o", [b"Sysengage"])]
        )
        admin.add_s(f"ou=people,{SUFFIX}", [("objectClass", [b"organizationalUnit"]), ("ou", [b"people"])])
        # the account Odoo reads with: the root account is above any size limit, a reader is not
        admin.add_s(
            READER_DN,
            [("objectClass", [b"person"]), ("cn", [b"reader"]), ("sn", [b"Reader"]), ("userPassword", [READER_PW])],
        )
        admin.unbind_s()

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


PEOPLE = (
    _person("lmeier", "Lea Meier", "Lea.Meier@example.ch", "+41 21 555 01 01", "Sales"),
    _person("pkeller", "Paul Keller", "paul.keller@example.ch", "+41 21 555 01 02", "Accounting"),
    _person("nrossi", "Nina Rossi", "nina.rossi@example.ch", None, "Support"),
)


def _people(count, prefix="p"):
    return [
        _person(f"{prefix}{index:04d}", f"Person {index:04d}", f"{prefix}{index:04d}@example.ch")
        for index in range(count)
    ]


@tagged("post_install", "-at_install")
class TestLdapSync(CrmLightCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SlapdServer()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.directory = cls.env["sysengage.ldap.directory"].create(
            {
                "name": "Test directory",
                "host": "127.0.0.1",
                "port": cls.server.port,
                "tls_mode": "none",
                "bind_dn": READER_DN,
                "bind_password": READER_PW.decode(),
                "base_dn": f"ou=people,{SUFFIX}",
                "search_filter": "(objectClass=inetOrgPerson)",
                "parent_id": cls.env.company.partner_id.id,
            }
        )
        # an existing contact of the company with the same e-mail (other case), one with the same name only,
        # and one with the same e-mail in another company
        cls.paul = cls.env["res.partner"].create(
            {"name": "P. Keller", "email": "PAUL.KELLER@example.ch", "company_id": cls.env.company.id}
        )
        cls.nina = cls.env["res.partner"].create(
            {"name": "Nina Rossi", "function": "Team lead", "company_id": cls.env.company.id}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Company AG"})
        cls.foreign_lea = cls.env["res.partner"].create(
            {"name": "Lea Foreign", "email": "lea.meier@example.ch", "company_id": cls.other_company.id}
        )

    def setUp(self):
        super().setUp()
        # the directory is not rolled back with the test: each test starts from the same three people
        admin = self.server.admin()
        people = f"ou=people,{SUFFIX}"
        for dn, _attrs in admin.search_s(people, ldap.SCOPE_ONELEVEL, "(objectClass=inetOrgPerson)", ["cn"]):
            admin.delete_s(dn)
        for dn, attrs in PEOPLE:
            admin.add_s(dn, attrs)
        admin.unbind_s()

    def _modify(self, dn, attribute, value):
        admin = self.server.admin()
        admin.modify_s(dn, [(ldap.MOD_REPLACE, attribute, [value.encode()])])
        admin.unbind_s()

    def test_sync_matches_creates_and_protects_user_edits(self):
        directory = self.directory.with_user(self.manager)
        directory.action_sync()
        log = directory.log_ids[0]
        self.assertEqual(log.state, "done", log.message)
        self.assertEqual((log.entry_count, log.created_count, log.error_count), (3, 2, 0))
        lea = directory.contact_ids.partner_id.filtered(lambda p: p.email == "lea.meier@example.ch")
        self.assertEqual(lea.name, "Lea Meier")
        self.assertEqual(lea.company_id, self.env.company)
        self.assertEqual((lea.phone, lea.function), ("+41 21 555 01 01", "Sales"))
        self.assertEqual(lea.parent_id, self.env.company.partner_id)
        self.assertEqual(self.foreign_lea.name, "Lea Foreign", "another company's contact is never matched")
        self.assertFalse(self.foreign_lea.phone)
        # matched on e-mail: blanks filled, the name a user typed kept
        self.assertEqual(self.paul.phone, "+41 21 555 01 02")
        self.assertEqual(self.paul.name, "P. Keller")
        # a name is not a stable key: the homonym is left alone, Nina gets her own contact
        self.assertFalse(self.nina.email)
        self.assertNotIn(self.nina, directory.contact_ids.partner_id)
        self.assertEqual(log.protected_count, 1)
        self.assertEqual(len(directory.contact_ids), 3)
        self.assertTrue(all(len(link.key) == 36 for link in directory.contact_ids), "linked by entryUUID")

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

    def test_renamed_entry_keeps_its_contact_and_removed_one_is_archived(self):
        self.directory._sync()
        links = {link.dn: link for link in self.directory.contact_ids}
        lea = links[f"uid=lmeier,ou=people,{SUFFIX}"].partner_id
        nina = links[f"uid=nrossi,ou=people,{SUFFIX}"].partner_id
        admin = self.server.admin()
        admin.rename_s(f"uid=lmeier,ou=people,{SUFFIX}", "uid=lmeier-rossi")
        admin.delete_s(f"uid=nrossi,ou=people,{SUFFIX}")
        admin.unbind_s()
        log = self.directory._sync()
        self.assertEqual((log.state, log.created_count, log.archived_count), ("done", 0, 1), log.message)
        self.assertTrue(lea.active)
        self.assertEqual(links[f"uid=lmeier,ou=people,{SUFFIX}"].dn, f"uid=lmeier-rossi,ou=people,{SUFFIX}")
        self.assertFalse(nina.active, "a person removed from the directory is archived")
        self.assertIn("Nina Rossi", log.message)
        # back in the directory: the same contact comes back
        admin = self.server.admin()
        admin.add_s(*_person("nrossi", "Nina Rossi", "nina.rossi@example.ch"))
        admin.unbind_s()
        log = self.directory._sync()
        self.assertTrue(nina.active)
        self.assertEqual(log.created_count, 0)

    def test_entry_without_name_refused_alone(self):
        admin = self.server.admin()
        dn = f"uid=noname,ou=people,{SUFFIX}"
        admin.add_s(dn, [("objectClass", [b"inetOrgPerson"]), ("uid", [b"noname"]), ("cn", [b" "]), ("sn", [b"X"]),
                         ("mail", [b"noname@example.ch"])])  # fmt: skip
        admin.unbind_s()
        partners_before = self.env["res.partner"].with_context(active_test=False).search_count([])
        log = self.directory._sync()
        self.assertEqual(log.state, "done")
        self.assertEqual((log.entry_count, log.created_count, log.error_count), (4, 2, 1))
        self.assertIn(f"{dn}: the entry has no name", log.message)
        self.assertNotIn(dn, self.directory.contact_ids.mapped("dn"), "no link for the refused entry")
        self.assertFalse(self.env["res.partner"].search([("email", "=", "noname@example.ch")]))
        self.assertEqual(self.env["res.partner"].with_context(active_test=False).search_count([]), partners_before + 2)

    def test_failed_read_archives_nobody(self):
        self.directory._sync()
        self.directory.bind_password = "wrong"
        log = self.directory._sync()
        self.assertEqual(log.state, "failed")
        self.assertTrue(all(self.directory.contact_ids.partner_id.mapped("active")))

    def test_wrong_password_logged_not_raised(self):
        self.directory.bind_password = "wrong"
        self.directory._sync()
        log = self.directory.log_ids[0]
        self.assertEqual(log.state, "failed")
        self.assertTrue(log.message)

    def test_bind_password_reserved_to_system_group(self):
        field = self.env["sysengage.ldap.directory"]._fields["bind_password"]
        self.assertEqual(field.groups, "base.group_system")
        with self.assertRaises(Exception):  # noqa: B017 - AccessError on a field restricted by groups
            self.directory.with_user(self.manager).read(["bind_password"])

    def test_server_change_by_manager_refused_while_a_secret_is_stored(self):
        with self.assertRaises(AccessError):
            self.directory.with_user(self.manager).write({"host": "attacker.example"})
        with self.assertRaises(AccessError):
            self.directory.with_user(self.manager).write({"tls_mode": "ldaps"})
        self.directory.with_user(self.manager).write({"port": self.server.port, "name": "Renamed"})  # unchanged
        self.assertEqual(self.directory.host, "127.0.0.1")
        # an administrator may move it
        self.directory.write({"host": "localhost"})
        self.assertEqual(self.directory.host, "localhost")


@tagged("post_install", "-at_install")
class TestLdapPagedSync(CrmLightCommon):
    """More people than the server's size limit: the paged search (RFC 2696) reads them all."""

    def test_paged_search_past_the_size_limit(self):
        server = SlapdServer(size_limit=1000)
        server.start()
        self.addCleanup(server.stop)
        admin = server.admin()
        for dn, attrs in _people(1005):
            admin.add_s(dn, attrs)
        admin.unbind_s()
        reader = ldap.initialize(f"ldap://127.0.0.1:{server.port}")
        reader.simple_bind_s(READER_DN, READER_PW.decode())
        with self.assertRaises(ldap.SIZELIMIT_EXCEEDED, msg="the server limits a plain search to 1,000 entries"):
            reader.search_s(f"ou=people,{SUFFIX}", ldap.SCOPE_SUBTREE, "(objectClass=inetOrgPerson)", ["cn"])
        reader.unbind_s()
        directory = self.env["sysengage.ldap.directory"].create(
            {
                "name": "Big directory",
                "host": "127.0.0.1",
                "port": server.port,
                "tls_mode": "none",
                "bind_dn": READER_DN,
                "bind_password": READER_PW.decode(),
                "base_dn": f"ou=people,{SUFFIX}",
            }
        )
        log = directory._sync()
        self.assertEqual(log.state, "done", log.message)
        self.assertEqual((log.entry_count, log.created_count), (1005, 1005))
        self.assertEqual(len(directory.contact_ids), 1005)
        self.assertEqual(
            set(directory.contact_ids.partner_id.mapped("email")), {f"p{i:04d}@example.ch" for i in range(1005)}
        )


@tagged("post_install", "-at_install")
class TestLdapTls(CrmLightCommon):
    """ldaps:// and StartTLS check the server certificate unless told otherwise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SlapdServer(tls=True)
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        admin = cls.server.admin()
        admin.add_s(*_person("lmeier", "Lea Meier", "lea.meier@example.ch"))
        admin.unbind_s()

    def _directory(self, **vals):
        values = {
            "name": "TLS directory",
            "host": "127.0.0.1",
            "bind_dn": READER_DN,
            "bind_password": READER_PW.decode(),
            "base_dn": f"ou=people,{SUFFIX}",
        }
        values.update(vals)
        return self.env["sysengage.ldap.directory"].create(values)

    def test_default_is_encrypted_and_checked(self):
        directory = self.env["sysengage.ldap.directory"].new({})
        self.assertEqual((directory.tls_mode, directory.tls_verify), ("starttls", True))

    def test_untrusted_certificate_refused(self):
        for mode, port in (("ldaps", self.server.ldaps_port), ("starttls", self.server.port)):
            with self.subTest(mode=mode):
                log = self._directory(tls_mode=mode, port=port)._sync()
                self.assertEqual(log.state, "failed", "a certificate of an unknown authority is not trusted")
                self.assertEqual(log.created_count, 0)
                # the check is what refuses it: switched off (an administrator's choice), the same server answers
                log = self._directory(tls_mode=mode, port=port, tls_verify=False)._sync()
                self.assertEqual(log.state, "done", log.message)

    def test_trusted_certificate_syncs(self):
        for mode, port in (("ldaps", self.server.ldaps_port), ("starttls", self.server.port)):
            with self.subTest(mode=mode):
                directory = self._directory(tls_mode=mode, port=port, tls_ca_cert=self.server.certificate)
                log = directory._sync()
                self.assertEqual((log.state, log.entry_count), ("done", 1), log.message)
