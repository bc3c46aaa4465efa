"""Transports of the e-invoice channels (HTTPS, SFTP, SMTP) on plain values, without the ORM.

Each function raises :class:`TransientError` when a retry may succeed (network down, timeout,
HTTP 5xx/429) and :class:`RejectedError` when the receiver refused the document (HTTP 4xx, a
cXML status other than 2xx, an SMTP recipient refused); it returns a short receipt otherwise.
"""

import asyncio
import os
import posixpath
import smtplib
import ssl
import tempfile
from urllib.parse import quote_plus, urlencode

import requests


class TransportError(Exception):
    """Base class: ``str(error)`` is the reason shown to the user."""


class TransientError(TransportError):
    """The send may succeed later: retried with back-off."""


class RejectedError(TransportError):
    """The receiver refused the document: not retried."""


class UnauthorizedError(RejectedError):
    """HTTP 401: the receiver refused the access token (expired or revoked), not the document."""


class OAuthError(TransportError):
    """The OAuth2 authorization server refused the token request or gave an unusable answer;
    ``error`` and ``description`` carry its RFC 6749 §5.2 ``error`` and ``error_description``."""

    def __init__(self, message, error=None, description=None):
        super().__init__(message)
        self.error = error
        self.description = description


def _verify_option(ca_pem):
    """``requests`` verify option: the given CA/self-signed certificate (PEM) or the system store."""
    if not ca_pem:
        return True, None
    handle = tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False)
    handle.write(ca_pem)
    handle.close()
    return handle.name, handle.name


def _request(method, url, tls_error, ca_pem, timeout, **kwargs):
    """One HTTPS request; a failed TLS verification raises ``tls_error``, an unreachable host, a
    server error or HTTP 429 a :class:`TransientError` (retried later). Returns the response."""
    verify, tmp_path = _verify_option(ca_pem)
    try:
        response = requests.request(method, url, timeout=timeout, verify=verify, **kwargs)
    except requests.exceptions.SSLError as error:
        raise tls_error(f"TLS verification of {url} failed: {error}") from error
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
        raise TransientError(f"{url} is unreachable: {error.__class__.__name__}") from error
    finally:
        if tmp_path:
            os.unlink(tmp_path)
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(f"{url} answered HTTP {response.status_code}: {response.text[:300]}")
    return response


def https_post(url, body, headers, ca_pem=None, timeout=30, method="POST"):
    """POST ``body`` to ``url`` over HTTPS; returns ``(status_code, response_text)`` for 2xx."""
    if not (url or "").lower().startswith("https://"):
        raise RejectedError(f"the endpoint must be an https:// URL, got {url!r}")
    response = _request(method, url, RejectedError, ca_pem, timeout, data=body, headers=headers)
    if response.status_code == 401:
        raise UnauthorizedError(f"{url} refused the access token (HTTP 401): {response.text[:300]}")
    if response.status_code >= 400:
        raise RejectedError(f"{url} refused the document (HTTP {response.status_code}): {response.text[:500]}")
    return response.status_code, response.text


def https_get(url, headers, ca_pem=None, timeout=30):
    """GET ``url`` over HTTPS; returns ``(status_code, response_text)`` for 2xx."""
    return https_post(url, None, headers, ca_pem=ca_pem, timeout=timeout, method="GET")


def oauth_authorization_url(authorization_url, client_id, redirect_uri, state, scope=None):
    """The URL of the authorization request of the code grant (RFC 6749 §4.1.1)."""
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "state": state}
    if scope:
        params["scope"] = scope
    separator = "&" if "?" in authorization_url else "?"
    return f"{authorization_url}{separator}{urlencode(params)}"


def oauth_token(token_url, grant, client_id, client_secret, client_auth="basic", ca_pem=None, timeout=30):
    """Ask the token endpoint ``token_url`` for a token (RFC 6749 §4.1.3 code, §4.4 client
    credentials, §6 refresh): ``grant`` holds ``grant_type`` and its parameters. The client
    authenticates with HTTP Basic (``client_auth="basic"``, §2.3.1: id and secret form-encoded
    first) or in the body (``"post"``). Returns the token response (``access_token``,
    ``token_type`` bearer, optional ``expires_in`` and ``refresh_token``)."""
    if not (token_url or "").lower().startswith("https://"):
        raise OAuthError(f"the token URL must be an https:// URL, got {token_url!r}")
    data = {key: value for key, value in grant.items() if value}
    auth = None
    if client_auth == "post":
        data.update(client_id=client_id, client_secret=client_secret or "")
    else:
        auth = (quote_plus(client_id), quote_plus(client_secret or ""))
    response = _request(
        "POST", token_url, OAuthError, ca_pem, timeout, data=data, auth=auth, headers={"Accept": "application/json"}
    )
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise OAuthError(f"{token_url} answered HTTP {response.status_code} without a JSON token response")
    if response.status_code >= 400 or payload.get("error"):
        error, description = payload.get("error") or f"HTTP {response.status_code}", payload.get("error_description")
        detail = f"{error}: {description}" if description else error
        raise OAuthError(f"{token_url} refused the request ({detail})", error=error, description=description)
    if not payload.get("access_token"):
        raise OAuthError(f"{token_url} answered without an access_token")
    if (payload.get("token_type") or "").lower() != "bearer":
        raise OAuthError(f"{token_url} issued a token of type {payload.get('token_type')!r}, not a Bearer token")
    return payload


def sftp_put(host, port, username, password, host_key, files, remote_dir="", timeout=30):
    """Upload ``files`` ({name: bytes}) to ``remote_dir``; each file is written as ``name.part`` then
    renamed, so the receiver never picks up a half-written file. ``host_key`` is the server's
    OpenSSH public key line: the connection is refused when the server presents another key."""
    import asyncssh

    if not host_key:
        raise RejectedError("the SFTP server host key is not configured")
    try:
        trusted = asyncssh.import_public_key(host_key.strip())
    except (asyncssh.KeyImportError, ValueError) as error:
        raise RejectedError(f"the SFTP host key is invalid: {error}") from error

    async def _upload():
        async with asyncssh.connect(
            host,
            port=int(port or 22),
            username=username,
            password=password,
            known_hosts=([trusted], [], []),
            client_keys=None,
            connect_timeout=timeout,
        ) as connection:
            async with connection.start_sftp_client() as sftp:
                for name, data in files.items():
                    target = posixpath.join(remote_dir or ".", name)
                    async with sftp.open(target + ".part", "wb") as handle:
                        await handle.write(data)
                    await sftp.posix_rename(target + ".part", target)
        return sorted(files)

    try:
        return asyncio.run(_upload())
    except asyncssh.HostKeyNotVerifiable as error:
        raise RejectedError(f"the SFTP server {host} presented an unknown host key") from error
    except asyncssh.PermissionDenied as error:
        raise RejectedError(f"the SFTP server {host} refused the login of {username}") from error
    except asyncssh.SFTPError as error:
        raise RejectedError(f"the SFTP server {host} refused the upload: {error.reason}") from error
    except (OSError, asyncssh.Error, asyncio.TimeoutError) as error:
        raise TransientError(f"the SFTP server {host}:{port} is unreachable: {error}") from error


def smtp_send(host, port, message, username=None, password=None, encryption="none", ca_pem=None, timeout=30):
    """Deliver an ``email.message.EmailMessage`` to an SMTP server; returns the refused recipients dict."""
    context = None
    if encryption in ("ssl", "starttls"):
        context = ssl.create_default_context(cadata=ca_pem) if ca_pem else ssl.create_default_context()
    try:
        if encryption == "ssl":
            client = smtplib.SMTP_SSL(host, int(port), timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, int(port), timeout=timeout)
        with client:
            if encryption == "starttls":
                client.starttls(context=context)
            if username:
                client.login(username, password or "")
            refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        raise RejectedError(f"the SMTP server refused the recipients: {', '.join(error.recipients)}") from error
    except smtplib.SMTPAuthenticationError as error:
        raise RejectedError(f"the SMTP server refused the login: {error.smtp_error!r}") from error
    except (OSError, smtplib.SMTPException) as error:
        raise TransientError(f"the SMTP server {host}:{port} is unreachable: {error}") from error
    return refused
