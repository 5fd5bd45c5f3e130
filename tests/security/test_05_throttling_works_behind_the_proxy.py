"""Finding 5 (medium): anyone could lock an editor out behind the proxy.

django-axes was told to read X-Forwarded-For through django-ipware, which was not installed,
so behind the TLS proxy every client had the proxy's address: five wrong passwords from
anywhere locked the real editor out for an hour. Now the client's address is the last
X-Forwarded-For entry, added by a trusted proxy (DJANGO_TRUSTED_PROXIES); what the client
wrote to its left is never believed.
"""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
LOGIN = "/admin/login/"


@pytest.fixture
def editor(django_user_model, settings):
    settings.TRUSTED_PROXIES = frozenset({PROXY})
    return django_user_model.objects.create_user(
        "editor", "e@example.org", "right-pw", is_staff=True
    )


def login(client, password, forwarded):
    return client.post(
        LOGIN,
        {"username": "editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_an_attacker_elsewhere_cannot_lock_the_editor_out(editor):
    attacker = Client()
    for _ in range(6):
        login(attacker, "wrong", "203.0.113.9")
    assert login(attacker, "right-pw", "203.0.113.9").status_code == 429  # the attacker is
    assert login(Client(), "right-pw", "198.51.100.7").status_code == 302  # the editor is not


def test_a_forged_left_most_address_counts_against_the_sender(editor):
    forger = Client()
    for _ in range(6):
        # The proxy appends the address it saw; the left-most entry is the client's own words.
        login(forger, "wrong", "198.51.100.7, 203.0.113.9")
    assert login(Client(), "right-pw", "198.51.100.7").status_code == 302
    assert login(Client(), "right-pw", "203.0.113.9").status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(editor, settings):
    settings.TRUSTED_PROXIES = frozenset()
    attacker = Client()
    for n in range(6):
        attacker.post(
            LOGIN,
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",  # a new "address" each time: ignored
        )
    response = attacker.post(
        LOGIN, {"username": "editor", "password": "right-pw"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429
