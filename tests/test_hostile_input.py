"""Arbitrary query strings, headers and path segments never make a public page fail."""

from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .helpers import body

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/",
    "/ko/agreements/",
    "/en/map/",
    "/en/timeline/",
    "/en/coverage/",
    "/en/agreements.csv",
    "/en/agreements.json",
    "/en/agreements.atom",
    "/en/countries/mn/",
    "/en/minerals/lithium/",
    "/en/institutions/kigam/",
    "/en/agreements/kr-mn-rare-metal-cooperation-center/",
]
KEYS = [
    "q",
    "country",
    "institution",
    "mineral",
    "kind",
    "status",
    "stage",
    "year_from",
    "year_to",
    "sort",
    "page",
]
junk = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_handled(response):
    assert response.status_code < 500, response.status_code
    assert b"Traceback" not in body(response)


@FAST
@given(
    page=st.sampled_from(PAGES),
    params=st.lists(st.tuples(st.sampled_from(KEYS) | junk, junk), max_size=6),
)
@example(page=PAGES[0], params=[("q", "\x00"), ("institution", "\x00")])
def test_arbitrary_query_strings(client, page, params):
    assert_handled(client.get(f"{page}?{urlencode(params)}"))


@FAST
@given(
    segment=junk.filter(bool),
    prefix=st.sampled_from(
        ["/en/agreements/", "/ko/countries/", "/en/institutions/", "/en/minerals/", "/en/"]
    ),
)
@example(prefix="/ko/countries/", segment="\x00")  # once a 500 on PostgreSQL
@example(prefix="/en/institutions/", segment="\x00")
def test_arbitrary_path_segments(client, prefix, segment):
    assert_handled(client.get(prefix + quote(segment, safe="") + "/"))


@FAST
@given(language=junk, agent=junk, cookie=junk)
def test_arbitrary_headers(client, language, agent, cookie):
    headers = {
        "accept-language": language.encode("utf-8", "ignore").decode("latin-1"),
        "user-agent": agent.encode("utf-8", "ignore").decode("latin-1"),
        "cookie": "django_language=" + quote(cookie),
    }
    assert_handled(client.get("/", headers=headers, follow=True))
    assert_handled(client.get("/en/agreements/", {"q": language}, headers=headers))


def test_an_oversized_admin_value_is_a_form_error(staff_client, kigam):

    url = reverse("admin:partners_institution_change", args=[kigam.pk])
    response = staff_client.post(
        url,
        {
            "name_en": "x" * 5000,
            "name_ko": "x",
            "slug": "kigam",
            "kind": "research",
            "country": kigam.country_id,
        },
    )
    assert response.status_code == 200
    assert "name_en" in response.context["adminform"].form.errors
    kigam.refresh_from_db()
    assert kigam.name_en == "Korea Institute of Geoscience and Mineral Resources"
