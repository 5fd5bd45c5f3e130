"""Finding 11 (low): the 404 page's language link for `//evil.example/en/` pointed to
`//evil.example/ko/`, a link off the site. Now links are always local paths."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["//evil.example/en/", "/\\evil.example/en/", "///evil.example/en/"]
)
def test_the_language_link_of_a_missing_page_stays_on_the_site(client, path):
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    links = re.findall(r'href="([^"]*)"', response.content.decode())
    assert links
    for link in links:
        if not link.startswith("#"):  # the skip link
            assert link.startswith("/") and not link.startswith(("//", "/\\")), link
