"""A throw-away PKI served on loopback for tests and benchmarks (certomancer).

Generates a root CA, a time-stamping authority and a company signing certificate with fresh RSA
keys, and serves the authority's RFC 3161 endpoint over HTTP on 127.0.0.1 in a daemon thread
(certomancer's ``Animator`` WSGI application under ``wsgiref``). Never used by business code.
"""

import os
import tempfile
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ARCH = "sg"

# a str.format template (port, key folder): the braces of its YAML flow mappings are doubled
CONFIG = """
external-url-prefix: "http://127.0.0.1:{port}"
keysets:
  sg:
    path-prefix: "{keydir}"
    keys:
      root:
        path: root.key.pem
      tsa:
        path: tsa.key.pem
      signer:
        path: signer.key.pem
pki-architectures:
  sg:
    keyset: sg
    entity-defaults:
      country-name: CH
      organization-name: Sysengage Test PKI
    entities:
      root:
        common-name: Sysengage Test Root CA
      tsa:
        common-name: Sysengage Test TSA
      signer:
        common-name: Sysengage Test Company
    certs:
      root:
        subject: root
        issuer: root
        validity: {{valid-from: "2020-01-01T00:00:00+0000", valid-to: "2060-01-01T00:00:00+0000"}}
        profiles: [simple-ca]
      tsa:
        issuer: root
        validity: {{valid-from: "2020-01-01T00:00:00+0000", valid-to: "2060-01-01T00:00:00+0000"}}
        extensions:
          - {{id: key_usage, critical: true, smart-value: {{schema: key-usage, params: [digital_signature]}}}}
          - {{id: extended_key_usage, critical: true, value: [time_stamping]}}
      signer:
        issuer: root
        validity: {{valid-from: "2020-01-01T00:00:00+0000", valid-to: "2060-01-01T00:00:00+0000"}}
        extensions:
          - id: key_usage
            critical: true
            smart-value: {{schema: key-usage, params: [digital_signature, non_repudiation]}}
    services:
      time-stamping:
        tsa:
          signing-key: tsa
          signing-cert: tsa
"""


def _install_key_cache():
    """Make certomancer's signing backend keep loaded keys (it re-parses the DER key at each
    time-stamp otherwise, which would make this loopback authority far slower than a real one)."""
    from certomancer import crypto_utils

    if getattr(crypto_utils.CRYPTO_BACKEND, "sysengage_key_cache", False):
        return
    crypto_utils.CRYPTO_BACKEND = _cached_backend_class()()


def _cached_backend_class():
    from certomancer.crypto_utils import PycaCryptographyBackend
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    class CachedKeyBackend(PycaCryptographyBackend):
        sysengage_key_cache = True

        def __init__(self):
            self._keys = {}

        def generic_sign(self, private_key, tbs_bytes, sd_algo):
            if sd_algo.signature_algo != "rsassa_pkcs1v15":
                return super().generic_sign(private_key, tbs_bytes, sd_algo)
            der = private_key.dump()
            if der not in self._keys:
                self._keys[der] = serialization.load_der_private_key(der, password=None)
            hash_algo = getattr(hashes, sd_algo.hash_algo.upper())()
            return self._keys[der].sign(tbs_bytes, padding.PKCS1v15(), hash_algo)

    return CachedKeyBackend


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        return


class LoopbackPKI:
    """Root CA + TSA + signer; ``start()`` serves the TSA, ``stop()`` takes it down."""

    def __init__(self):
        from certomancer.integrations.animator import Animator, AnimatorArchStore
        from certomancer.registry import CertomancerConfig

        _install_key_cache()
        self._tmp = tempfile.TemporaryDirectory(prefix="sg_pki_")
        for label in ("root", "tsa", "signer"):
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            with open(os.path.join(self._tmp.name, f"{label}.key.pem"), "wb") as handle:
                handle.write(
                    key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    )
                )
        config = yaml.safe_load(CONFIG.format(port=0, keydir=self._tmp.name))
        self.config = CertomancerConfig(config, key_search_dir=self._tmp.name)
        self.arch = self.config.get_pki_arch(ARCH)
        self._app = Animator(AnimatorArchStore({ARCH: self.arch}), with_web_ui=False)
        self._server = None
        self._thread = None
        self.port = None

    @property
    def tsa_url(self):
        return f"http://127.0.0.1:{self.port}/{ARCH}/tsa/tsa"

    def start(self, port=0):
        """Serve the authority (on ``port``, or the previous/a free one)."""
        port = port or self.port or 0
        self._server = make_server("127.0.0.1", port, self._app, handler_class=_QuietHandler)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.tsa_url

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def close(self):
        self.stop()
        self._tmp.cleanup()

    def cert_der(self, label):
        return self.arch.get_cert(label).dump()

    def root_pem(self):
        from asn1crypto import pem

        return pem.armor("CERTIFICATE", self.cert_der("root"))

    def signer_pkcs12(self, password):
        """PKCS#12 of the company signer with its root, protected by ``password`` (str)."""
        return self.arch.package_pkcs12("signer", certs_to_embed=["root"], password=password.encode())


class GarbageAuthority:
    """An HTTP server on loopback answering every request with something that is not RFC 3161."""

    def __init__(self):
        self._server = None
        self.url = None

    @staticmethod
    def _app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/timestamp-reply")])
        return [b"<html>surely not a time-stamp token</html>"]

    def start(self):
        self._server = make_server("127.0.0.1", 0, self._app, handler_class=_QuietHandler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_port}/tsa"
        return self.url

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
