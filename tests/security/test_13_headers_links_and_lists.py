"""Finding 13 (low): static files carried no CSP or frame protection; /health/live/ was
redirected to HTTPS behind the proxy while /health/ was exempt; a `javascript:` address that
reached the database another way rendered as a link; the agreement admin's autocomplete
paginated an unordered list."""

import json
import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from partners.models import Source
from tests.helpers import PRODUCTION, run_django

STATIC_AND_HEALTH = """
import json
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
client = Client(HTTP_HOST="coopdash.example.org")
css = client.get(static("css/coopdash.css"), secure=True)
live = client.get("/health/live/")
print(json.dumps({"css": [css.status_code, css.get("Content-Security-Policy"),
                          css.get("X-Frame-Options")],
                  "live": [live.status_code, live.get("Location")]}))
"""


def test_static_files_carry_the_policy_and_health_checks_answer_over_http(tmp_path):
    out = run_django(
        STATIC_AND_HEALTH,
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    status, policy, framing = result["css"]
    assert status == 200 and "default-src 'self'" in policy and framing == "DENY"
    assert result["live"] == [200, None]  # not redirected to https, like /health/


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,x", "JaVaScRiPt:x"])
def test_only_web_addresses_become_links(client, mongolia_centre, address):
    source = mongolia_centre.sources.first()
    Source.objects.filter(pk=source.pk).update(url=address)  # around validation
    page = client.get(mongolia_centre.get_absolute_url()).content.decode()
    assert address not in page.lower() or f'href="{address}' not in page
    assert 'href="javascript:' not in page.lower() and 'href="data:' not in page


@pytest.mark.django_db
def test_the_agreement_autocomplete_pages_through_an_ordered_list(staff_client):
    query = {"app_label": "partners", "model_name": "agreement", "field_name": "parent"}
    with warnings.catch_warnings():
        warnings.filterwarnings("error", category=UnorderedObjectListWarning)
        response = staff_client.get(reverse("admin:autocomplete"), {**query, "term": ""})
    assert response.status_code == 200 and response.json()["results"]
