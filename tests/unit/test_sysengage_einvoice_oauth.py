from urllib.parse import parse_qs, urlsplit

import pytest
from sysengage_einvoice_tools.transport import OAuthError, TransientError, oauth_authorization_url, oauth_token


def test_authorization_url_keeps_existing_query_and_encodes():
    url = oauth_authorization_url(
        "https://api.mynwp.com/oauth/v1/authorize?lang=fr",
        "client 1",
        "https://erp.example/cb?x=1",
        "7.abc",
        scope="default-biller",
    )
    parts = urlsplit(url)
    assert parts.path == "/oauth/v1/authorize"
    assert parse_qs(parts.query) == {
        "lang": ["fr"],
        "response_type": ["code"],
        "client_id": ["client 1"],
        "redirect_uri": ["https://erp.example/cb?x=1"],
        "state": ["7.abc"],
        "scope": ["default-biller"],
    }


def test_authorization_url_without_scope():
    url = oauth_authorization_url("https://a/authorize", "c", "https://r", "s")
    assert "scope" not in parse_qs(urlsplit(url).query)


def test_token_url_must_be_https():
    with pytest.raises(OAuthError, match="https://"):
        oauth_token("http://api.example/token", {"grant_type": "client_credentials"}, "c", "s")


def test_unreachable_token_url_is_transient():
    with pytest.raises(TransientError, match="unreachable"):
        oauth_token("https://127.0.0.1:9/token", {"grant_type": "client_credentials"}, "c", "s", timeout=2)
