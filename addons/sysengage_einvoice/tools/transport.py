"""Transports of the e-invoice channels (HTTPS, SFTP, SMTP) on plain values, without the ORM.

Each function raises :class:`TransientError` when a retry may succeed (network down, timeout,
HTTP 5xx/429) and :class:`RejectedError` when the receiver refused the document (HTTP 4xx, a
cXML status other than 2xx, an SMTP recipient refused); it returns a short receipt otherwise.
"""

import asyncio
import posixpath
import smtplib
import ssl
import tempfile

import requests


class TransportError(Exception):
    """Base class: ``str(error)`` is the reason shown to the user."""


class TransientError(TransportError):
    """The send may succeed later: retried with back-off."""


class RejectedError(TransportError):
    """The receiver refused the document: not retried."""


def _verify_option(ca_pem):
    """``requests`` verify option: the given CA/self-signed certificate (PEM) or the system store."""
    if not ca_pem:
        return True, None
    handle = tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False)
    handle.write(ca_pem)
    handle.close()
    return handle.name, handle.name


def https_post(url, body, headers, ca_pem=None, timeout=30, method="POST"):
    """POST ``body`` to ``url`` over HTTPS; returns ``(status_code, response_text)`` for 2xx."""
    if not (url or "").lower().startswith("https://"):
        raise RejectedError(f"the endpoint must be an https:// URL, got {url!r}")
    verify, tmp_path = _verify_option(ca_pem)
    try:
        response = requests.request(method, url, data=body, headers=headers, timeout=timeout, verify=verify)
    except requests.exceptions.SSLError as error:
        raise RejectedError(f"TLS verification of {url} failed: {error}") from error
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
        raise TransientError(f"{url} is unreachable: {error.__class__.__name__}") from error
    finally:
        if tmp_path:
            import os

            os.unlink(tmp_path)
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(f"{url} answered HTTP {response.status_code}: {response.text[:300]}")
    if response.status_code >= 400:
        raise RejectedError(f"{url} refused the document (HTTP {response.status_code}): {response.text[:500]}")
    return response.status_code, response.text


def https_get(url, headers, ca_pem=None, timeout=30):
    """GET ``url`` over HTTPS; returns ``(status_code, response_text)`` for 2xx."""
    return https_post(url, None, headers, ca_pem=ca_pem, timeout=timeout, method="GET")


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
