"""Production settings, response headers, the health check and admin hardening."""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from .helpers import PRODUCTION, ROOT, run_django


def run(code, **env):
    """Run Python with coopdash set up under the given environment; return its stdout."""
    return run_django(code, **env).stdout


def test_check_deploy_reports_nothing_with_the_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, **PRODUCTION},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts_behind_the_proxy(tmp_path):
    out = run(
        "from django.test import Client\n"
        "import json\n"
        "c = Client(HTTP_HOST='coopdash.example.org')\n"
        "plain = c.get('/en/')\n"
        "secure = c.get('/health/', HTTP_X_FORWARDED_PROTO='https')\n"
        "from django.conf import settings\n"
        "print(json.dumps([plain.status_code, plain.get('Location'),"
        " secure.get('Strict-Transport-Security'), settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE]))",
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    )
    status, location, hsts, session_secure, csrf_secure = json.loads(out)
    assert status == 301 and location == "https://coopdash.example.org/en/"
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert session_secure and csrf_secure


def test_the_admin_path_is_configurable():
    out = run(
        "from django.urls import reverse\nprint(reverse('admin:index'))",
        DJANGO_ADMIN_PATH="backoffice",
    )
    assert out.strip() == "/backoffice/"


@pytest.mark.django_db
def test_public_pages_send_a_strict_policy_and_security_headers(client):
    response = client.get(reverse("partners:dashboard"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_admin_policy_allows_inline_styles_but_not_scripts(staff_client):
    policy = staff_client.get(reverse("admin:index"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy


@pytest.mark.django_db
def test_health_reports_the_database(client, settings):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "release": settings.RELEASE,
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_says_503_when_the_database_does_not_answer():
    out = run(
        "from django.test import Client\n"
        "r = Client().get('/health/')\n"
        "print(r.status_code, r.content.decode())",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    assert out.startswith("503") and "unavailable" in out


@pytest.mark.django_db
def test_repeated_failed_logins_are_throttled(client, django_user_model):
    django_user_model.objects.create_superuser("curator", "c@example.org", "right-password-1")
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "curator", "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post(url, {"username": "curator", "password": "right-password-1"})
    assert locked.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_a_good_login_works_and_only_staff_reach_the_admin(client, django_user_model):
    django_user_model.objects.create_user("analyst", "a@example.org", "right-password-1")
    response = client.post(
        reverse("admin:login"), {"username": "analyst", "password": "right-password-1"}
    )
    assert response.status_code == 200  # not staff: the login form again, with an error
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_page_cache_is_on_in_production_and_off_while_developing():
    check = "from django.conf import settings\nprint(settings.PAGE_CACHE)"
    assert run(check, **PRODUCTION).strip() == "True"
    assert run(check).strip() == "False"  # debug: template edits show at once
    assert run(check, DJANGO_PAGE_CACHE="on").strip() == "True"
