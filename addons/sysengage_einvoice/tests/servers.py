"""Real servers on loopback for the channel tests: HTTPS (self-signed) with an OAuth2 token endpoint,
SFTP (asyncssh), SMTP (aiosmtpd)."""

import asyncio
import base64
import datetime
import http.server
import ipaddress
import json
import socket
import ssl
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, unquote_plus


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed_certificate(common_name="127.0.0.1", signing=False):
    """A certificate and key (PEM strings) for 127.0.0.1, generated with ``cryptography``; with ``signing``, a
    certificate that may sign documents (key usage: digital signature, non-repudiation), as an archive seal."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
    )
    if signing:
        usage = dict.fromkeys(
            ("key_encipherment", "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign"), False
        )
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, encipher_only=False, decipher_only=False, **usage
            ),
            critical=True,
        )
    cert = builder.sign(key, hashes.SHA256())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return cert_pem, key_pem


class HttpsServer:
    """An HTTPS server recording each POST (path, headers, body) and answering ``responses`` in turn
    (a list of ``(status, body, content_type)``; the last one repeats).

    ``routes`` ({path prefix: callable(request)}) answer first: a route returns a response tuple,
    or None to let ``responses`` answer (e.g. an access token check in front of an API).

    Without ``keep_content`` (benchmarks receiving thousands of documents) a request keeps its ``size``, not
    its body, once answered."""

    def __init__(self, responses, routes=None, keep_content=True):
        self.requests = []
        self.keep_content = keep_content
        self.responses = list(responses)
        self.routes = dict(routes or {})
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
                request = {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                server.requests.append(request)
                answer = next(
                    (route(request) for prefix, route in server.routes.items() if self.path.startswith(prefix)), None
                )
                status, payload, content_type = answer or (
                    server.responses.pop(0) if len(server.responses) > 1 else server.responses[0]
                )
                if callable(payload):
                    payload = payload(body)
                if not server.keep_content:
                    request.update(body=None, size=len(body))
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


class OAuthProvider:
    """An OAuth2 authorization server (RFC 6749) for an ``HttpsServer``: ``token`` is the token
    endpoint route, ``guard`` the Bearer check in front of the API. The token endpoint checks the
    client authentication (HTTP Basic, or the body with ``client_auth="post"``), the grant type, the
    authorization code (once, with its redirect URI) and the refresh token (rotated on each use)."""

    def __init__(
        self,
        client_id="sysengage-client",
        client_secret="s3cret:+&",
        code="code-4711",
        redirect_uri=None,
        expires_in=3600,
        client_credentials=False,
        client_auth="basic",
    ):
        self.client_id, self.client_secret, self.client_auth = client_id, client_secret, client_auth
        self.codes = {code: redirect_uri}
        self.expires_in = expires_in
        self.client_credentials = client_credentials
        self.grants = []  # the parsed form of each token request
        self.access_tokens = set()
        self.refresh_tokens = set()
        self.counter = 0

    @staticmethod
    def _answer(status, payload):
        return status, json.dumps(payload), "application/json"

    def _error(self, status, error, description):
        return self._answer(status, {"error": error, "error_description": description})

    def _issue(self, refresh=True):
        self.counter += 1
        access = f"access-{self.counter}"
        self.access_tokens.add(access)
        payload = {"access_token": access, "token_type": "Bearer", "expires_in": self.expires_in}
        if refresh:
            payload["refresh_token"] = f"refresh-{self.counter}"
            self.refresh_tokens.add(payload["refresh_token"])
        return self._answer(200, payload)

    def _client(self, request, form):
        header = request["headers"].get("Authorization", "")
        if self.client_auth == "basic":
            if not header.startswith("Basic "):
                return None
            user, _sep, password = base64.b64decode(header[6:]).decode().partition(":")
            return unquote_plus(user), unquote_plus(password)
        if header:
            return None
        return form.get("client_id"), form.get("client_secret")

    def token(self, request):
        if request["method"] != "POST" or not request["headers"].get("Content-Type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return self._error(400, "invalid_request", "POST a form")
        form = {key: values[0] for key, values in parse_qs(request["body"].decode()).items()}
        self.grants.append(form)
        if self._client(request, form) != (self.client_id, self.client_secret):
            return self._error(401, "invalid_client", "Client authentication failed")
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            code = form.get("code")
            if code not in self.codes or self.codes[code] != form.get("redirect_uri"):
                return self._error(400, "invalid_grant", "Unknown or used authorization code")
            del self.codes[code]
            return self._issue()
        if grant_type == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return self._error(400, "invalid_grant", "Refresh token revoked")
            self.refresh_tokens.discard(form["refresh_token"])
            return self._issue()
        if grant_type == "client_credentials" and self.client_credentials:
            return self._issue(refresh=False)
        return self._error(400, "unsupported_grant_type", f"{grant_type} is not offered")

    def revoke_access_tokens(self):
        self.access_tokens.clear()

    def guard(self, request):
        header = request["headers"].get("Authorization", "")
        if not header.startswith("Bearer ") or header[7:] not in self.access_tokens:
            return self._answer(401, {"title": "Unauthorized"})
        return None


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
                "127.0.0.1",
                self.port,
                server_host_keys=[self.host_key],
                server_factory=Server,
                sftp_factory=sftp_factory,
                allow_scp=False,
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
    """An aiosmtpd server keeping the received envelopes (without ``keep_content``, their ``size`` instead of
    their ``data``: benchmarks receiving thousands of e-mails)."""

    def __init__(self, keep_content=True):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages = []
        self.logins = []  # (user, password) of each AUTH, accepted
        outer = self

        def authenticator(server, session, envelope, mechanism, auth_data):
            outer.logins.append((auth_data.login.decode(), auth_data.password.decode()))
            return AuthResult(success=True)

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                content = envelope.content
                outer.messages.append(
                    {
                        "from": envelope.mail_from,
                        "to": list(envelope.rcpt_tos),
                        "data": content if keep_content else None,
                        "size": len(content),
                    }
                )
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(
            Handler(), hostname="127.0.0.1", port=self.port, authenticator=authenticator, auth_require_tls=False
        )

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
