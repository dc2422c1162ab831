"""Settings for the medborgarlöften portal.

One module for every environment. Everything that differs between a laptop and production comes
from environment variables read through the strict helpers below: a malformed value stops the
process with a message that names the variable, instead of silently falling back to a default.
"""

import importlib.util
import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


# --- Strict environment helpers -----------------------------------------------------------------

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable, or the default; without a default the variable is required."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean written as 1/0, true/false, yes/no or on/off; anything else is an error."""
    value = os.environ.get(name)
    if value is None:
        return default
    normalised = value.strip().lower()
    if normalised in _TRUE:
        return True
    if normalised in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; empty items are an error (a stray comma is a typo)."""
    value = os.environ.get(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={value!r} has an empty item.")
    return items


def env_int(name: str, default: int) -> int:
    """Read a whole number; anything else is an error."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_addresses(name: str) -> list[str]:
    """Read a comma-separated list of IP addresses or networks (10.0.0.0/8); empty by default."""
    addresses = env_list(name, default=[])
    for address in addresses:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {address!r} is not an IP address or network."
            ) from None
    return addresses


def env_secret(name: str, default: str | None = None) -> str:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE`` (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path is not None:
        if name in os.environ:
            raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {error}.") from None
        if not value:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} is empty.")
        return value
    return env_str(name, default)


# SQLite as the embedded default must not drop concurrent writes (issue 13): a write-ahead log
# lets readers go on while one connection writes; IMMEDIATE makes every transaction.atomic take
# the write lock when it begins, so a second writer waits for it (up to `timeout` seconds)
# instead of failing with "database is locked" when a read lock cannot be upgraded. Writes are
# short (tens of milliseconds), so the wait is short too; synchronous stays FULL (no setting),
# so an acknowledged write survives a power cut.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL",
}


def parse_database_url(url: str) -> dict:
    """Turn sqlite:///path or postgres://user:pass@host:port/name?opt=v into a DATABASES entry.

    For PostgreSQL over a Unix socket give the socket directory as ``?host=/path``.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path or path == "/":
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r}: write sqlite:///relative.db or sqlite:////absolute.db."
            )
        name = path[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name if Path(name).is_absolute() else str(BASE_DIR / name),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database.")
        options = dict(parse_qsl(parts.query, strict_parsing=bool(parts.query)))
        try:
            port = parts.port
        except ValueError as error:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: {error}.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": options.pop("host", None) or unquote(parts.hostname or ""),
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={url!r}: only sqlite:// and postgres:// addresses are supported."
    )


_CACHE_TABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_cache_url(url: str) -> dict:
    """Turn CACHE_URL into a CACHES entry.

    ``locmem://`` (the default): each process keeps its own cache, enough for one app server.
    ``db://table``: Django's database cache in a table of the portal's database, shared by every
    app server (``manage.py createcachetable`` makes the table). ``redis://host:6379/0`` or
    ``rediss://``: Redis or Valkey, for heavier use (needs the ``redis`` package).
    """
    parts = urlsplit(url)

    def malformed(why):
        return ImproperlyConfigured(f"CACHE_URL={url!r}: {why}")

    if parts.scheme == "locmem":
        if parts.path or parts.query:
            raise malformed("write locmem:// (or locmem://name).")
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc,
        }
    if parts.scheme == "db":
        if parts.path or parts.query or not _CACHE_TABLE.fullmatch(parts.netloc):
            raise malformed("write db://table_name (letters, digits and _).")
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": parts.netloc}
    if parts.scheme in {"redis", "rediss"}:
        try:
            parts.port  # noqa: B018 — urlsplit checks the port only when asked
        except ValueError as error:
            raise malformed(f"{error}.") from None
        if not parts.hostname or not re.fullmatch(r"(/\d*)?", parts.path):
            raise malformed("write redis://host:6379/0 (database number optional).")
        if importlib.util.find_spec("redis") is None:
            raise malformed("the redis package is not installed (pip install redis).")
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise malformed("only locmem://, db://table_name and redis:// or rediss:// are supported.")


# --- Core ---------------------------------------------------------------------------------------

# Fail closed: DEBUG is off unless the environment turns it on (`make run` sets DEBUG=1), so a
# production server started without it never shows tracebacks or skips HSTS.
DEBUG = env_bool("DEBUG", default=False)
_PRODUCTION_HINT = "DEBUG is off unless set; on a developer's machine set DEBUG=1 (make run does)."


def _required_in_production(read, name: str):
    """Read a required production value; the message also says how to run in development."""
    try:
        return read(name)
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"{error} {_PRODUCTION_HINT}") from None


if DEBUG:
    # Fixed defaults are fine for a developer's machine; production must set its own.
    SECRET_KEY = env_secret("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = _required_in_production(env_secret, "SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks_db",
    "municipalities",
    "promises",
    "followup",
]

MIDDLEWARE = [
    # First: every later middleware, django-axes and rate limits see the real client address.
    "municipalities.site.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "municipalities.site.health.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Language from the URL only: Swedish at /, English under /en/ (never Accept-Language).
    "municipalities.site.middleware.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # In production WhiteNoise serves the collected, hashed static files; in development
    # runserver serves them from the app folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "municipalities.site.context_processors.contact",
                "municipalities.site.context_processors.staff_scope",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Production names its database explicitly; a developer gets SQLite beside the code.
DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", default="sqlite:///db.sqlite3")
        if DEBUG
        else _required_in_production(env_str, "DATABASE_URL")
    )
}
if DEBUG:
    # The development server runs every request in a new thread, so a kept-open connection is
    # never reused: with PostgreSQL, 12 concurrent clients exhausted its 100 connections within
    # seconds ("too many clients", 503). Django's docs: no persistent connections in development.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered public pages, the data versions they are keyed on and the rate-limit counters. The
# default keeps them in each process; several app servers share one (README, *Several app
# servers*): db://cache_table or, for heavier use, redis://.
CACHES = {"default": parse_cache_url(env_str("CACHE_URL", default="locmem://"))}
# The period page's activity cards (followup.public.cards): many small entries. A process's own
# memory keeps them apart (up to 5,000 of about 3 KB each), so that they never push rendered
# pages out of the default cache (Django's 300 entries); a shared cache (db://, redis://) holds
# both.
CACHES["cards"] = (
    {
        **CACHES["default"],
        "LOCATION": f"{CACHES['default']['LOCATION']}-cards",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
    if CACHES["default"]["BACKEND"].endswith(".LocMemCache")
    else CACHES["default"]
)
# How long a shared cache (nginx, config/nginx/portal.conf) may serve a public page without
# asking the app: a write shows to citizens within this many seconds. Signed-in staff never get
# a shared copy (followup/public/caching.py).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", default=10)
if PUBLIC_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("PUBLIC_CACHE_SECONDS must be 0 or more.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# --- Language and time --------------------------------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True


# --- Static files -------------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Static files are served by WhiteNoise; in production with hashed, compressed names so they
# can be cached for ever. Frozen PDFs go to MEDIA_ROOT (shared storage when several app servers).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


# --- Security -----------------------------------------------------------------------------------

# A strict Content-Security-Policy: no inline script or style anywhere, no external origins.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The reverse proxies (nginx, a load balancer) in front of the app servers, as addresses or
# networks. Only a request whose direct peer is one of them has its X-Forwarded-For read, and
# then the rightmost address that is not a trusted proxy is the client (what the proxy itself
# saw); anything to its left was written by the client and is ignored. Empty: the peer is the
# client, and X-Forwarded-For is never read. municipalities/site/middleware.py does this.
TRUSTED_PROXIES = env_addresses("TRUSTED_PROXIES")
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])


# --- E-mail -------------------------------------------------------------------------------------

# Django 6.1's MAILERS: the console in development, SMTP from the environment in production.
if DEBUG:
    # The worker prints each message (headers and plain text, links copyable) on its console.
    MAILERS = {"default": {"BACKEND": "municipalities.site.mail.ReadableConsoleBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", default="localhost"),
                "port": env_int("EMAIL_PORT", default=25),
                "username": env_str("EMAIL_HOST_USER", default=""),
                "password": env_secret("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="medborgarloften@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where replies to the portal's mail go, and the operator's address shown on /om/ for
# accessibility feedback (the tillgänglighetsredogörelse requires one).
CONTACT_EMAIL = env_str("CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_REPLY_TO = env_str("EMAIL_REPLY_TO", default=CONTACT_EMAIL)
# Mail is sent by the worker, outside any request: links in it are built on this address.
SITE_URL = env_str(
    "SITE_URL",
    default="http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}",
).rstrip("/")


# --- Background work and schedules --------------------------------------------------------------

# django.tasks with the database backend: a task is a row written in the caller's transaction,
# run by one worker process (`manage.py run_worker`, which also runs the schedule below).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Jobs at fixed local times (TIME_ZONE). "weekday": 0 is Monday; without it the job is daily.
# Each run is recorded by (job, slot), so a slot never runs twice, whatever restarts or however
# many workers. A slot missed by more than SCHEDULE_GRACE (the worker was down) is skipped.
SCHEDULE = {
    "expire_invitations": {
        "task": "municipalities.invitations.tasks.expire_invitations",
        "at": "03:10",
    },
    "expire_subscriptions": {
        "task": "followup.subscriptions.tasks.expire_unconfirmed_subscriptions",
        "at": "03:20",
    },
    "delete_old_feedback": {
        "task": "promises.feedback.tasks.delete_old_feedback",
        "at": "03:30",
    },
    "staff_digests": {
        "task": "followup.notifications.tasks.send_staff_digests",
        "at": "07:00",
        "weekday": 0,
    },
    # Every file's day moves on at midnight (progress depends on it): the national open-data
    # downloads are built anew then, before anyone asks (followup/public/downloads.py).
    "build_downloads": {
        "task": "followup.public.tasks.build_national_downloads",
        "at": "00:05",
    },
    "subscriber_digests": {
        "task": "followup.subscriptions.tasks.send_subscriber_digests",
        "at": "08:00",
        "weekday": 0,
    },
}
SCHEDULE_GRACE = timedelta(hours=12)


# --- Load limits --------------------------------------------------------------------------------

# The expensive public endpoints (open-data downloads, PDFs): how many requests one client address
# may make ("30/m": thirty a minute; django-ratelimit counts in CACHES["default"], so several app
# servers need a shared cache), and how many files this host builds at once
# (municipalities/site/throttle.py).
EXPENSIVE_RATE_LIMIT = env_str("EXPENSIVE_RATE_LIMIT", default="30/m")
RENDER_SLOTS = env_int("RENDER_SLOTS", default=2)
# Files built from the data (open-data downloads, one per data version) and their locks; shared
# storage when several app servers, like MEDIA_ROOT.
BUILD_DIR = Path(env_str("BUILD_DIR", default=str(MEDIA_ROOT / "built")))
# With a proxy in front that sends files itself (nginx: the internal location /_downloads/ of
# config/nginx/portal.conf, whose alias is BUILD_DIR/opendata), open-data downloads are answered
# with X-Accel-Redirect to this prefix and no gunicorn worker is held while a file is sent.
# Empty (the default): the app streams the file itself (runserver, no proxy).
DOWNLOADS_ACCEL_REDIRECT = env_str("DOWNLOADS_ACCEL_REDIRECT", default="")
if DOWNLOADS_ACCEL_REDIRECT and not (
    DOWNLOADS_ACCEL_REDIRECT.startswith("/") and DOWNLOADS_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured(
        f"DOWNLOADS_ACCEL_REDIRECT={DOWNLOADS_ACCEL_REDIRECT!r} must start and end with / "
        "(e.g. /_downloads/)."
    )


# --- Sign-in, sessions and login lockout --------------------------------------------------------

LOGIN_URL = "site:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "site:login"

# A staff session lasts one working shift (8 hours from sign-in), then the user signs in again.
# It is not tied to closing the browser: phones rarely close it, so the fixed age is what counts.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# django-axes locks out a username from one address after five failed sign-ins for 15 minutes.
# Username *and* address together, so one attacker cannot lock out a whole police station that
# shares an address, and one address cannot guess many users' passwords unnoticed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# The client address as ClientAddressMiddleware found it (X-Forwarded-For from trusted proxies
# only), so a lockout behind nginx is one client's, not everyone's at 127.0.0.1.
AXES_CLIENT_IP_CALLABLE = "municipalities.site.middleware.client_address"


# --- Logging ------------------------------------------------------------------------------------

# One line per record to stdout; gunicorn writes one line per request (config/gunicorn.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO; its warnings and errors still come through.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes announces itself at INFO on every start, management commands included;
        # its failed-login and lockout records (axes.handlers, axes.watch_login) still come through.
        "axes.apps": {"level": "WARNING"},
    },
}
