import pytest
from sysengage_crm_light_tools.social import normalize_profile_url


@pytest.mark.parametrize(
    ("network", "url", "expected"),
    [
        ("linkedin", "linkedin.com/in/anna-muster/", "https://linkedin.com/in/anna-muster"),
        ("linkedin", "https://ch.linkedin.com/company/sysengage", "https://ch.linkedin.com/company/sysengage"),
        ("xing", "http://www.xing.com/profile/Anna_Muster", "https://www.xing.com/profile/Anna_Muster"),
        ("x", "https://twitter.com/sysengage", "https://twitter.com/sysengage"),
        ("x", "x.com/sysengage", "https://x.com/sysengage"),
        ("facebook", "https://www.facebook.com/profile.php?id=123", "https://www.facebook.com/profile.php?id=123"),
        ("instagram", " https://instagram.com/sysengage ", "https://instagram.com/sysengage"),
        ("instagram", "", ""),
    ],
)
def test_valid_profiles(network, url, expected):
    assert normalize_profile_url(network, url) == expected


@pytest.mark.parametrize(
    ("network", "url"),
    [
        ("linkedin", "https://www.xing.com/profile/x"),
        ("linkedin", "https://www.linkedin.com/feed/"),
        ("linkedin", "https://evil-linkedin.com/in/x"),
        ("facebook", "https://www.facebook.com/"),
        ("xing", "ftp://xing.com/profile/x"),
        ("x", "https://x.com/<script>"),
    ],
)
def test_invalid_profiles(network, url):
    with pytest.raises(ValueError):
        normalize_profile_url(network, url)


def test_unknown_network():
    with pytest.raises(ValueError):
        normalize_profile_url("myspace", "https://myspace.com/x")
