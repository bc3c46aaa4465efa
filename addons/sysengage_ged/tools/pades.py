"""PAdES signing and verification of archived PDFs, and time-stamp token validation (pyHanko)."""

import asyncio
import datetime
import functools
import io

from asn1crypto import cms, keys, x509
from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields as sig_fields
from pyhanko.sign import signers
from pyhanko.sign.validation import generic_cms, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

SIGNATURE_FIELD = "SysengageArchive"
# room kept in the PDF for the CMS signature (certificate chain included); avoids a dry-run
# signature that pyHanko otherwise makes to size it
SIGNATURE_BYTES_RESERVED = 16384


class _LoadedKeySigner(signers.SimpleSigner):
    """SimpleSigner using the already loaded private key (pyHanko re-parses and re-validates the
    DER key at each signature, which costs more than the RSA signature itself)."""

    def __init__(self, crypto_key, **kwargs):
        super().__init__(**kwargs)
        self._crypto_key = crypto_key

    def sign_raw(self, data, digest_algorithm):
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = getattr(hashes, digest_algorithm.upper())()
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._crypto_key, rsa.RSAPrivateKey):
            return self._crypto_key.sign(data, padding.PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(self._crypto_key, ec.EllipticCurvePrivateKey):
            return self._crypto_key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


class CertificateError(Exception):
    """The PKCS#12 certificate cannot be used (unreadable, wrong password, no key)."""


class SignatureError(Exception):
    """The PDF cannot be signed."""


def load_pkcs12(data, password):
    """Load a PKCS#12 bundle.

    :return: dict with ``cert`` (asn1crypto certificate), ``key`` (asn1crypto PrivateKeyInfo),
        ``chain`` (list of asn1crypto certificates), ``subject`` (str) and ``not_after`` (datetime)
    :raises CertificateError: unreadable data, wrong password, or no private key/certificate
    """
    if not data:
        raise CertificateError("No certificate file.")
    # decrypting the bundle (its key derivation) costs more than a signature: the archive job signs every
    # invoice of a batch with the same bundle, loaded once (a new file or password is another key here)
    return dict(_load_pkcs12(bytes(data), password))


@functools.lru_cache(maxsize=8)
def _load_pkcs12(data, password):
    pwd = password.encode("utf-8") if isinstance(password, str) else password
    try:
        private_key, certificate, additional = pkcs12.load_key_and_certificates(data, pwd or None)
    except (ValueError, TypeError) as exc:
        raise CertificateError("The certificate cannot be read: wrong password or not a PKCS#12 file.") from exc
    if private_key is None or certificate is None:
        raise CertificateError("The PKCS#12 file holds no private key and certificate.")
    key_der = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cert = x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    chain = [x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in additional or ()]
    return {
        "cert": cert,
        "crypto_key": private_key,
        "key": keys.PrivateKeyInfo.load(key_der),
        "chain": chain,
        "subject": cert.subject.human_friendly,
        "not_after": cert["tbs_certificate"]["validity"]["not_after"].native,
    }


# Fixed validity of the demo seal: the demo must not depend on the day it is loaded.
DEMO_SEAL_NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
DEMO_SEAL_NOT_AFTER = datetime.datetime(2075, 1, 1, tzinfo=datetime.timezone.utc)


def make_self_signed_pkcs12(common_name, organization, country_code, password):
    """A PKCS#12 bundle (RSA 2048 key and its self-signed X.509 certificate, usable to seal PDFs)
    protected by ``password``: for demonstrations only, it proves nothing to a third party."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = crypto_x509.Name(
        [
            crypto_x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            crypto_x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            crypto_x509.NameAttribute(NameOID.COUNTRY_NAME, country_code),
        ]
    )
    certificate = (
        crypto_x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(crypto_x509.random_serial_number())
        .not_valid_before(DEMO_SEAL_NOT_BEFORE)
        .not_valid_after(DEMO_SEAL_NOT_AFTER)
        .add_extension(crypto_x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            crypto_x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode("utf-8"))
    return pkcs12.serialize_key_and_certificates(common_name.encode("utf-8"), key, certificate, None, encryption)


def embedded_file_names(pdf_bytes):
    """The names of the files embedded in the document-wide registry of a PDF (``/EmbeddedFiles``)."""
    return _embedded_names(PdfFileReader(io.BytesIO(pdf_bytes), strict=False).root)


def _embedded_names(root):
    try:
        tree = root["/Names"]["/EmbeddedFiles"]
    except KeyError:
        return []
    if "/Kids" in tree:
        return None  # a nested name tree: not read here (see _embed_missing)
    names = tree["/Names"] if "/Names" in tree else []
    return [str(names[index]) for index in range(0, len(names), 2)]


def _embed_missing(writer, attachments):
    """Embed in ``writer`` each of ``attachments`` (``(name, data, mimetype)``) whose name the PDF does not
    embed yet, as an associated file of the document (``/AF``, relationship ``/Data``: how a Factur-X XML is
    attached to its invoice)."""
    present = _embedded_names(writer.root)
    if present is None:
        raise SignatureError("The PDF embeds its files in a nested name tree, which cannot be extended.")
    for name, data, mimetype in attachments:
        if name in present:
            continue
        stream = embed.EmbeddedFileObject.from_file_data(
            writer, data, mime_type=mimetype, params=embed.EmbeddedFileParams()
        )
        # no af_relationship here: pyHanko would then raise the document's version to PDF 2.0; the
        # association (PDF/A-3, as Factur-X asks) is written below on the same file specification
        embed.embed_file(writer, embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=stream))
        spec_ref = writer.root["/Names"]["/EmbeddedFiles"]["/Names"][-1]
        spec_ref.get_object()["/AFRelationship"] = generic.pdf_name("/Data")
        if "/AF" in writer.root:
            associated = writer.root["/AF"]
            associated.append(spec_ref)
            if isinstance(writer.root.raw_get("/AF"), generic.IndirectObject):
                writer.update_container(associated)
        else:
            writer.root["/AF"] = generic.ArrayObject([spec_ref])
        writer.update_root()
        present.append(name)


def sign_pdf(pdf_bytes, bundle, reason=None, location=None, attachments=()):
    """Return ``pdf_bytes`` with an embedded PAdES (ETSI.CAdES.detached) signature by ``bundle``.

    ``attachments`` (``(name, data, mimetype)``) that the PDF does not embed yet are embedded in the same
    revision as the signature, which therefore covers them; the PDF is not rewritten, only appended to."""
    signer = _LoadedKeySigner(
        bundle["crypto_key"],
        signing_cert=bundle["cert"],
        signing_key=bundle["key"],
        cert_registry=SimpleCertificateStore.from_certs(bundle["chain"]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=sig_fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        _embed_missing(writer, attachments)
        out = signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=SIGNATURE_BYTES_RESERVED)
    except Exception as exc:  # pyHanko raises many kinds for malformed PDFs
        raise SignatureError(f"The PDF cannot be signed: {exc}") from exc
    return out.getvalue()


def _trust_context(trust_certs):
    roots = [c for c in trust_certs or () if c.self_signed]
    others = [c for c in trust_certs or () if not c.self_signed]
    if not roots:
        return None
    return ValidationContext(trust_roots=roots, other_certs=others, allow_fetching=False)


def verify_pdf_signature(pdf_bytes, trust_certs=None):
    """Verify the archive signature of a PDF.

    :return: dict ``readable`` (the PDF structure could be parsed), ``found``, ``intact`` (digest
        matches), ``valid`` (cryptographically valid), ``trusted`` (chains to one of
        ``trust_certs``; None when no trust anchor given), ``signer``
    """
    result = {"readable": False, "found": False, "intact": False, "valid": False, "trusted": None, "signer": None}
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = [s for s in reader.embedded_signatures if s.field_name == SIGNATURE_FIELD]
    except Exception:
        return result
    result["readable"] = True
    if not embedded:
        return result
    result["found"] = True
    context = _trust_context(trust_certs)
    try:
        status = validate_pdf_signature(embedded[0], signer_validation_context=context, skip_diff=True)
    except Exception:
        return result
    result.update(
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted) if context else None,
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else None,
    )
    return result


def verify_timestamp_token(token_der, expected_digest, trust_certs=None):
    """Verify an RFC 3161 token: imprint equals ``expected_digest`` and the TSA signature holds.

    :return: dict ``intact``, ``valid``, ``trusted`` (None without trust anchor), ``time``
    """
    result = {"intact": False, "valid": False, "trusted": None, "time": None}
    try:
        content = cms.ContentInfo.load(token_der)
        signed_data = content["content"]
        context = _trust_context(trust_certs)
        kwargs = asyncio.run(generic_cms.validate_tst_signed_data(signed_data, context, expected_digest))
    except Exception:
        return result
    result.update(
        intact=bool(kwargs.get("intact")),
        valid=bool(kwargs.get("valid")),
        trusted=(kwargs.get("validation_path") is not None and not kwargs.get("trust_problem_indic"))
        if context
        else None,
        time=kwargs.get("timestamp"),
    )
    return result


def load_certificates(data):
    """Load one or more PEM or DER certificates (trust anchors); returns asn1crypto certificates."""
    if not data:
        return []
    from asn1crypto import pem

    if pem.detect(data):
        return [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]
