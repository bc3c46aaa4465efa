"""Validation of social network profile URLs (LinkedIn, Xing, X, Facebook, Instagram)."""

import re
from urllib.parse import urlsplit

NETWORKS = {
    "linkedin": ("linkedin.com",),
    "xing": ("xing.com",),
    "x": ("x.com", "twitter.com"),
    "facebook": ("facebook.com", "fb.com"),
    "instagram": ("instagram.com",),
}
_PATH_RE = re.compile(r"^/[\w\-.~%/@]+/?$")


def normalize_profile_url(network, url):
    """The canonical ``https://`` form of a profile URL, or raise ValueError when it is not one.

    Accepts a bare host ("linkedin.com/in/anna"), http or https, an optional "www." or country
    sub-domain ("ch.linkedin.com"), and requires a profile path (not the home page).
    """
    if network not in NETWORKS:
        raise ValueError(f"unknown network {network!r}")
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError("the address must start with http:// or https://")
    host = (parts.hostname or "").lower()
    domains = NETWORKS[network]
    if not any(host == domain or host.endswith("." + domain) for domain in domains):
        raise ValueError(f"the address must be on {' or '.join(domains)}")
    path = parts.path
    if not path or path == "/" or not _PATH_RE.match(path):
        raise ValueError("the address must point to a profile, not to the home page")
    if network == "linkedin" and not re.match(r"^/(in|company|school|pub|showcase)/[^/]+", path):
        raise ValueError("a LinkedIn profile address starts with /in/ or /company/")
    if network == "xing" and not re.match(r"^/(profile|pages|companies)/[^/]+", path):
        raise ValueError("a Xing profile address starts with /profile/ or /pages/")
    query = f"?{parts.query}" if parts.query and network == "facebook" else ""
    return f"https://{host}{path.rstrip('/')}{query}"
