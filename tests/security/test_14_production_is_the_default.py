"""Finding 14 (low): debug mode was on unless DJANGO_DEBUG was set, so a production server
with its secret key and hosts but without that one variable showed Django's technical 404,
with every URL pattern and the admin path. Now a real secret key means production."""

from tests.helpers import PRODUCTION, run_django

TECHNICAL_404 = """
from django.conf import settings
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
page = Client(HTTP_HOST="coopdash.example.org").get("/en/no-such-page/", secure=True)
print(settings.DEBUG, page.status_code, "URLconf" in page.content.decode())
"""


def test_a_server_with_its_key_but_no_debug_setting_runs_in_production(tmp_path):
    without_debug = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_DEBUG"}
    out = run_django(
        TECHNICAL_404,
        **without_debug,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_ADMIN_PATH="secret-backoffice",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    ).stdout
    assert out.split()[-3:] == ["False", "404", "False"]


def test_debug_with_a_real_key_is_refused(tmp_path):
    result = run_django(check=False, **{**PRODUCTION, "DJANGO_DEBUG": "true"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG is on with a real DJANGO_SECRET_KEY" in result.stderr


def test_developing_needs_no_setting_at_all():
    out = run_django("from django.conf import settings\nprint(settings.DEBUG)").stdout
    assert out.strip() == "True"
