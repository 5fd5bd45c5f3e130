"""Settings for coopdash, read from a few environment variables.

With none set, coopdash runs in debug mode on an SQLite file beside manage.py. Production
sets DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL; see the
README for the full list.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from coopdash.release import fingerprint

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


# Where relative paths (the SQLite file, collected static files) go: beside manage.py in a
# checkout, the working directory for a coopdash installed from its wheel.
PROJECT_DIR = BASE_DIR if (BASE_DIR / "manage.py").exists() else Path.cwd()


def asset_dir(name):
    """Templates, static files, translations and fixtures: inside the package when coopdash
    is installed from its wheel, beside manage.py in a checkout."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else BASE_DIR / name


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name, default):
    """Read a boolean strictly: a typo must not silently turn debug on or security off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}.")


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def statement_timeout():
    """DJANGO_STATEMENT_TIMEOUT in milliseconds (0: none)."""
    raw = os.environ.get("DJANGO_STATEMENT_TIMEOUT", "0")
    if not raw.isdigit():
        raise ImproperlyConfigured(f"DJANGO_STATEMENT_TIMEOUT is milliseconds, not {raw!r}.")
    return int(raw)


def database_from_url(url):
    """Turn DATABASE_URL into a DATABASES entry: sqlite:///path or postgres://user@host/db."""
    parts = urlsplit(url)
    # Persistent connections: about twice the throughput of reconnecting on every request
    # on SQLite, six times on PostgreSQL (docs/PERFORMANCE.md).
    conn_max_age = int(os.environ.get("DJANGO_CONN_MAX_AGE", "600"))
    if parts.scheme == "sqlite":
        name = unquote(parts.path[1:]) if parts.path not in ("", "/") else "db.sqlite3"
        return {
            # Django's SQLite backend with a statement timeout (coopdash/sqlite/base.py).
            "ENGINE": "coopdash.sqlite",
            "NAME": PROJECT_DIR / name,
            "CONN_MAX_AGE": conn_max_age,
            "OPTIONS": {
                # Readers never block the writer (WAL); a transaction takes the write lock
                # when it begins, so two editors queue instead of failing on a lock upgrade;
                # and a writer waits up to 20 s for the lock instead of 5.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "coopdash",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Health checks drop dead connections after a database restart instead of
            # failing the next request.
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": envbool("DJANGO_CONN_HEALTH_CHECKS", True),
            "OPTIONS": {"options": f"-c statement_timeout={STATEMENT_TIMEOUT}"},
            # Behind PgBouncer in transaction mode a server-side cursor cannot outlive its
            # transaction: DJANGO_DB_SERVER_SIDE_CURSORS=false (exports then read their rows
            # into memory; README, "Running several servers").
            "DISABLE_SERVER_SIDE_CURSORS": not envbool("DJANGO_DB_SERVER_SIDE_CURSORS", True),
            "TEST": {"NAME": os.environ.get("DJANGO_TEST_DATABASE_NAME") or None},
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:/// or postgres://, not {parts.scheme!r}."
    )


# A real secret key means production: debug is then off unless asked for, and asking for it
# is refused, so a server given its key and hosts but not DJANGO_DEBUG never shows Django's
# technical pages. Without a key (`make run`, the tests) coopdash runs in debug mode.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = envbool("DJANGO_DEBUG", not SECRET_KEY)

# A backstop for web servers (coopdash/wsgi.py sets 5 s unless configured): a statement
# running longer is cancelled, on PostgreSQL and SQLite alike, and the request is answered
# with a 503 (coopdash.middleware.StatementTimeoutMiddleware). Milliseconds; 0 is none.
STATEMENT_TIMEOUT = statement_timeout()
if SECRET_KEY and DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is on with a real DJANGO_SECRET_KEY: a server with its secret key is a "
        "production server. Unset DJANGO_DEBUG (or set it to false), or unset the key to develop."
    )
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=false coopdash refuses to start "
            "without a secret key: set DJANGO_SECRET_KEY to a long random string."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "axes",
    "reversion",
    "partners",
    "intake",
    "django.forms",  # form widgets render through TEMPLATES (FORM_RENDERER below)
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coopdash.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coopdash.middleware.StatementTimeoutMiddleware",
    "partners.middleware.RevisionMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one user name from one address lock that pair out for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address: the last X-Forwarded-For entry when the request comes from a trusted
# proxy (DJANGO_TRUSTED_PROXIES), never one the client wrote (coopdash/proxy.py).
TRUSTED_PROXIES = frozenset(envlist("DJANGO_TRUSTED_PROXIES"))
AXES_CLIENT_IP_CALLABLE = "coopdash.proxy.client_ip"

ROOT_URLCONF = "coopdash.urls"
WSGI_APPLICATION = "coopdash.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [asset_dir("templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches --------------------------------------------------------------------------------
# "pages" holds the page cache (partners/pagecache.py), "default" what is kept per data
# revision (the name index, record-wide counts, the filter's suggestions). Each process keeps
# its own, in memory, by default; DJANGO_CACHE_DIR shares them on disk between the workers of
# a host; DJANGO_CACHE_URL=redis://host:6379/0 shares them between servers, through Django's
# Redis backend made resilient (coopdash/cache.py: when Redis does not answer, pages are
# rendered without it). Correctness never depends on the cache: every key holds the data
# revision, read from the database (or, shared, from the cache: REVISION_CACHE_ALIAS below),
# and the release. Entries expire after
# DJANGO_CACHE_TIMEOUT in any case (a change made outside Django, such as raw SQL, shows within
# that time; `manage.py shell -c "from partners.models import Revision; Revision.bump()"`
# shows it at once). The page cache is off by default in debug mode, so that a developer's
# template edits show at once.
PAGE_CACHE = envbool("DJANGO_PAGE_CACHE", not DEBUG)
PAGE_CACHE_ALIAS = "pages"
# What rendered a page: DJANGO_RELEASE (say, the version being deployed), or a fingerprint of
# the installed code. Part of every page-cache key (coopdash/release.py).
RELEASE = os.environ.get("DJANGO_RELEASE") or fingerprint(
    PACKAGE_DIR, PACKAGE_DIR.parent / "partners", *map(asset_dir, ("templates", "static", "locale"))
)


def cache_from_env(name):
    """One cache, from DJANGO_CACHE_URL, DJANGO_CACHE_DIR or, by default, process memory.
    MAX_ENTRIES bounds the memory and file caches; Redis is bounded by its own maxmemory."""
    timeout = int(os.environ.get("DJANGO_CACHE_TIMEOUT", "3600"))
    url = os.environ.get("DJANGO_CACHE_URL")
    if url:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(f"DJANGO_CACHE_URL must be a redis:// address, not {url!r}.")
        return {
            "BACKEND": "coopdash.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"coopdash:{name}",
            "TIMEOUT": timeout,
            # A Redis that does not answer costs a request at most a quarter of a second,
            # after which it is not asked for a few seconds.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    bounded = {"MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_ENTRIES", "300"))}
    folder = os.environ.get("DJANGO_CACHE_DIR")
    if folder:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(folder) / name),
            "TIMEOUT": timeout,
            "OPTIONS": bounded,
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"coopdash-{name}",
        "TIMEOUT": timeout,
        "OPTIONS": bounded,
    }


CACHES = {"default": cache_from_env("default"), "pages": cache_from_env("pages")}
# With a cache shared between servers, the data revision itself is kept in it too, for
# REVISION_TIMEOUT seconds at most, and written there the moment it moves (models.Revision):
# a page served from the cache then asks nothing of the database, and keeps being served
# while the database restarts. A memory or file cache is not shared between servers, so
# without DJANGO_CACHE_URL the revision is read from the database on every request.
REVISION_CACHE_ALIAS = "default" if os.environ.get("DJANGO_CACHE_URL") else None
REVISION_TIMEOUT = int(os.environ.get("DJANGO_REVISION_TIMEOUT", "2"))  # whole seconds (Redis)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [asset_dir("locale")]
FIXTURE_DIRS = [asset_dir("fixtures")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [asset_dir("static")]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or PROJECT_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ----------------------------------------------------------------------------
# Public pages: nothing but our own files, and no inline script or style. The admin keeps
# Django's inline style attributes (its scripts are files) — see coopdash/middleware.py.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (README, "Serving").
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    # The health check is asked over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", True)

# The admin path is configurable so that a public deployment need not expose /admin/.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # With the time, so that an error can be told to a moment (a restart, a release).
    "formatters": {
        "timed": {
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
