"""Minimal RFC 3161 time-stamp client (request, transport, response checks) on asn1crypto."""

import hashlib
import secrets

import requests
from asn1crypto import algos, cms, tsp


class TimestampError(Exception):
    """The time-stamping authority could not be reached or answered something unusable."""


class TimestampAuthorityUnavailable(TimestampError):
    """Transport failure: the authority is down or unreachable (worth retrying later)."""


def build_request(digest, nonce=None):
    """Build a DER ``TimeStampReq`` for a SHA-256 ``digest`` (bytes)."""
    if len(digest) != 32:
        raise ValueError("A SHA-256 digest of 32 bytes is expected.")
    nonce = nonce if nonce is not None else secrets.randbits(63)
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": tsp.MessageImprint(
                {
                    "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                    "hashed_message": digest,
                }
            ),
            "nonce": nonce,
            "cert_req": True,
        }
    )
    return request.dump(), nonce


def parse_response(data, digest, nonce):
    """Check a DER ``TimeStampResp`` and return the DER time-stamp token (CMS ``ContentInfo``).

    Raises :class:`TimestampError` when the answer is not a granted token for ``digest``/``nonce``.
    """
    try:
        response = tsp.TimeStampResp.load(data)
        status = response["status"]["status"].native
        token = response["time_stamp_token"]
        if status not in ("granted", "granted_with_mods"):
            raise TimestampError(f"The time-stamping authority refused the request ({status}).")
        tst_info = token["content"]["encap_content_info"]["content"].parsed
        imprint = tst_info["message_imprint"]["hashed_message"].native
        answered_nonce = tst_info["nonce"].native
        token_der = token.dump()
    except TimestampError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise TimestampError(
            "The time-stamping authority answered something that is not a time-stamp response."
        ) from exc
    if imprint != digest:
        raise TimestampError("The time-stamp token does not cover the requested digest.")
    if answered_nonce != nonce:
        raise TimestampError("The time-stamp token does not echo the request nonce.")
    return token_der


def request_timestamp(url, digest, timeout=10, session=None):
    """Ask the authority at ``url`` for a token over ``digest``; return the DER token."""
    if not url:
        raise TimestampError("No time-stamping authority URL is configured.")
    body, nonce = build_request(digest)
    poster = session or requests
    try:
        reply = poster.post(
            url,
            data=body,
            headers={"Content-Type": "application/timestamp-query"},
            timeout=timeout,
        )
    except requests.RequestException as exc:
        raise TimestampAuthorityUnavailable(f"The time-stamping authority at {url} is unreachable: {exc}") from exc
    if reply.status_code >= 500:
        raise TimestampAuthorityUnavailable(f"The time-stamping authority answered HTTP {reply.status_code}.")
    if reply.status_code != 200:
        raise TimestampError(f"The time-stamping authority answered HTTP {reply.status_code}.")
    return parse_response(reply.content, digest, nonce)


def token_info(token_der):
    """Return ``(gen_time, sha256_imprint_bytes, serial)`` of a DER time-stamp token."""
    token = cms.ContentInfo.load(token_der)
    tst_info = token["content"]["encap_content_info"]["content"].parsed
    return (
        tst_info["gen_time"].native,
        tst_info["message_imprint"]["hashed_message"].native,
        tst_info["serial_number"].native,
    )


def digest_of(data):
    """SHA-256 digest (bytes) of ``data``."""
    return hashlib.sha256(data).digest()


__all__ = [
    "TimestampAuthorityUnavailable",
    "TimestampError",
    "build_request",
    "digest_of",
    "parse_response",
    "request_timestamp",
    "token_info",
]
