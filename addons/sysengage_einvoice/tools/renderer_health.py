"""What a PDF renderer (wkhtmltopdf) keeps of a report: plain values, no ORM.

The probe report prints a known word in its header, its body and its footer; what comes back as
text in the PDF says whether headers and footers are kept (a wkhtmltopdf built on patched Qt) and
whether the body has a real text layer (unpatched builds draw web fonts as paths).
"""

import re
import urllib.error
import urllib.request

PROBE_HEADER = "sgprobeheader"
PROBE_BODY = "sgprobebody"
PROBE_FOOTER = "sgprobefooter"
# a static file: served without a database, so it answers even while this server is busy
URL_CHECK_PATH = "/web/static/img/favicon.ico"

_VERSION = re.compile(r"wkhtmltopdf\s+([0-9][0-9.]*)(.*)", re.IGNORECASE)


def parse_version(output):
    """``(version, patched_qt)`` from the output of ``wkhtmltopdf --version``, or ``("", False)``."""
    match = _VERSION.search(output or "")
    if not match:
        return "", False
    return match.group(1).rstrip("."), "patched qt" in match.group(2).lower()


def probe_findings(page_texts):
    """What survived of the probe in the text of the PDF pages: header, body text, footer."""
    text = "".join("".join((page or "").split()).lower() for page in page_texts)
    return {
        "header": PROBE_HEADER in text,
        "text_layer": PROBE_BODY in text,
        "footer": PROBE_FOOTER in text,
    }


def url_answers(base_url, timeout=5):
    """``(True, "")`` when ``base_url`` serves a static file, else ``(False, reason)``."""
    if not base_url:
        return False, "no address configured"
    url = base_url.rstrip("/") + URL_CHECK_PATH
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            if response.status >= 400:
                return False, f"HTTP {response.status} for {url}"
    except urllib.error.HTTPError as error:
        return False, f"HTTP {error.code} for {url}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return False, f"{url}: {getattr(error, 'reason', None) or error}"
    return True, ""
