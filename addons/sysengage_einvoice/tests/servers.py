"""Real servers on loopback for the channel tests: HTTPS (self-signed), SFTP (asyncssh), SMTP (aiosmtpd)."""

import asyncio
import datetime
import http.server
import ipaddress
import socket
import ssl
import tempfile
import threading
from pathlib import Path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed_certificate():
    """A certificate and key (PEM strings) for 127.0.0.1, generated with ``cryptography``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return cert_pem, key_pem


class HttpsServer:
    """An HTTPS server recording each POST (path, headers, body) and answering ``responses`` in turn
    (a list of ``(status, body, content_type)``; the last one repeats)."""

    def __init__(self, responses):
        self.requests = []
        self.responses = list(responses)
        self.cert_pem, key_pem = self_signed_certificate()
        self._dir = tempfile.TemporaryDirectory()
        cert_file = Path(self._dir.name, "cert.pem")
        key_file = Path(self._dir.name, "key.pem")
        cert_file.write_text(self.cert_pem)
        key_file.write_text(key_pem)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.do_POST()

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                server.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                status, payload, content_type = (
                    server.responses.pop(0) if len(server.responses) > 1 else server.responses[0]
                )
                if callable(payload):
                    payload = payload(body)
                data = payload.encode() if isinstance(payload, str) else payload
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                return

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert_file), str(key_file))
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self._dir.cleanup()


class SftpServer:
    """An asyncssh SFTP server (password login) whose root is a temporary folder."""

    def __init__(self, username="tungsten", password="s3cret"):
        import asyncssh

        self.asyncssh = asyncssh
        self.username, self.password = username, password
        self.root = tempfile.TemporaryDirectory()
        Path(self.root.name, "in").mkdir()
        self.host_key = asyncssh.generate_private_key("ssh-ed25519")
        self.public_key = self.host_key.export_public_key().decode().strip()
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None

    @property
    def files(self):
        return {path.name: path.read_bytes() for path in Path(self.root.name, "in").iterdir()}

    def __enter__(self):
        asyncssh = self.asyncssh
        outer = self

        class Server(asyncssh.SSHServer):
            def begin_auth(self, username):
                return True

            def password_auth_supported(self):
                return True

            def validate_password(self, username, password):
                return username == outer.username and password == outer.password

        root = self.root.name

        def sftp_factory(chan):
            return asyncssh.SFTPServer(chan, chroot=root)

        async def start():
            return await asyncssh.listen(
                "127.0.0.1", self.port, server_host_keys=[self.host_key], server_factory=Server,
                sftp_factory=sftp_factory, allow_scp=False,
            )

        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(start(), self.loop)
        self.server = future.result(10)
        return self

    def __exit__(self, *exc):
        self.server.close()
        asyncio.run_coroutine_threadsafe(self.server.wait_closed(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.root.cleanup()


class SmtpServer:
    """An aiosmtpd server keeping the received envelopes."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                outer.messages.append(
                    {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.content}
                )
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
