"""The WSGI application for web servers (gunicorn: `-c python:coopdash.gunicorn`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopdash.settings")
# Web requests get a statement timeout on PostgreSQL unless one is configured; management
# commands (migrations, bulk loads) do not.
os.environ.setdefault("DJANGO_STATEMENT_TIMEOUT", "5000")
application = get_wsgi_application()
