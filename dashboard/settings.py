"""Settings for Elements Dashboard, all read from the environment (see .env.example)."""

import hashlib
import os
import tempfile
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file configures a developer's dashboard, never the test suite: under pytest only the
# environment counts, so a copy of .env.example in the working tree changes no test's outcome.
if "PYTEST_VERSION" not in os.environ:
    environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

# --- Core -------------------------------------------------------------------
# Keys anyone can read (ours, and the one in .env.example): fine for the demo on its own sandbox,
# refused by a server that talks to a real platform unless DEBUG is on.
PUBLIC_SECRET_KEYS = frozenset({"insecure-dev-key-change-me-in-every-deployment", "change-me"})
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me-in-every-deployment")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "team",
    "catalog",
    "instances",
    "apidocs",
    "sandbox",
]

MIDDLEWARE = [
    # /healthz and /livez answer whatever Host a load balancer's probe sends (an app server's own
    # address, not a public name in ALLOWED_HOSTS); every other path is still checked.
    "django_alive.middleware.healthcheck_bypass_host_check",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and htmx partials, gzipped when the browser accepts it (static files are compressed
    # ahead of time by whitenoise). BREACH: Django masks the CSRF token anew in every response
    # and this middleware pads each gzip stream with random bytes ("Heal the BREACH").
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "team.sessions.SessionIdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dashboard.middleware.UpstreamBudgetMiddleware",
    "dashboard.errors.PlatformErrorMiddleware",
    # Last: it turns a lockout signalled during the login into the login page's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "team.context_processors.roles",
            ],
            # dashboard is not an app (it wires the apps together), so its layout tags are named here.
            "libraries": {"layout": "dashboard.templatetags.layout"},
        },
    },
]

# --- Database and cache -------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the sandbox write while dashboard requests read, under runserver's threads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests on a file, not in memory: the live server's threads then open connections of their
    # own instead of sharing the test's one (which a late keep-alive request can trip over).
    # One file per test process, so that two test runs at once never share it.
    DATABASES["default"].setdefault("TEST", {
        "NAME": str(Path(tempfile.gettempdir()) / f"elements-dashboard-test-{os.getpid()}.sqlite3")
    })
else:
    # A server database: keep connections open between requests (a new one per request costs
    # more than the request), checked before reuse.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://elements-dashboard")}

# /healthz (django-alive): a real query on a table every login needs, and a cache write read back.
ALIVE_CHECKS = [
    ("django_alive.checks.check_database", {"query": "SELECT 1 FROM django_session LIMIT 1"}),
    ("dashboard.health.check_cache_roundtrip", {}),
]

# --- Auth ---------------------------------------------------------------------
LOGIN_URL = "team:login"
LOGIN_REDIRECT_URL = "catalog:index"
LOGOUT_REDIRECT_URL = "team:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the password
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): failures counted per username and address together, in the
# database every app server shares.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A fixed lockout: attempts while locked out are refused and recorded, not counted again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "team.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "team.logins.client_ip"
AXES_VERBOSE = False  # our own lines in team.logins say it once, without the form's fields
# Sessions end after this much idle time: use moves the expiry on (team.sessions).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
CSRF_FAILURE_VIEW = "dashboard.errors.csrf_failure"  # our error page, in words, not Django's plain one
SESSION_COOKIE_HTTPONLY = True

# --- HTTPS and browser protections ----------------------------------------------------------------
# Off by default so that the demo works on http://127.0.0.1; a deployment over HTTPS turns them on.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Load balancers probe app servers over plain HTTP: never redirect them (SECURE_SSL_REDIRECT).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts only from our own static files, so an injected
# <script> or on*= handler never runs. htmx is told not to eval (templates/base.html). Inline
# styles stay allowed: the sandbox's consent page and the schema tables' depth use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https:"],  # element logos may come from the platform's CDN
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Behind a load balancer or proxy that sets X-Forwarded-Host/-Proto: the OAuth callback URL we
# give providers is built from the request, so it must be the public address.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    USE_X_FORWARDED_HOST = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- I18N / static -------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Hashed names, gzip and brotli copies, cached for a year, once `collectstatic` ran (and plain
# names before it): dashboard/static_storage.py.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "dashboard.static_storage.StaticStorage"},
}
# Whitenoise serves static files in every mode, from the finders when nothing was collected,
# so the demo and a gunicorn deployment need no separate web server for them.
WHITENOISE_USE_FINDERS = True
# Without `collectstatic` the finders serve everything: no need to warn.
warnings.filterwarnings("ignore", message="No directory at")
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Cloud Elements platform API --------------------------------------------------
CLOUD_ELEMENTS_URL = env(
    "CLOUD_ELEMENTS_URL", default="http://127.0.0.1:8000/sandbox/elements/api-v2"
).rstrip("/")
# Element logos are paths on the platform's host (README, "Real platform"): its origin may serve
# images, http included for a sandbox in a process of its own (bin/serve).
_platform = urlsplit(CLOUD_ELEMENTS_URL)
if _platform.scheme in ("http", "https") and _platform.netloc:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_platform.scheme}://{_platform.netloc}")
CLOUD_ELEMENTS_USER_SECRET = env("CLOUD_ELEMENTS_USER_SECRET", default="sandbox-user-secret")
CLOUD_ELEMENTS_ORG_SECRET = env("CLOUD_ELEMENTS_ORG_SECRET", default="sandbox-org-secret")
CLOUD_ELEMENTS_CONNECT_TIMEOUT = env.float("CLOUD_ELEMENTS_CONNECT_TIMEOUT", default=3.05)
CLOUD_ELEMENTS_READ_TIMEOUT = env.float("CLOUD_ELEMENTS_READ_TIMEOUT", default=20.0)
CLOUD_ELEMENTS_RETRIES = env.int("CLOUD_ELEMENTS_RETRIES", default=2)
# Seconds one page may wait for all its platform calls together (retries included); each call of
# a management command gets as long.
CLOUD_ELEMENTS_TIME_BUDGET = env.float("CLOUD_ELEMENTS_TIME_BUDGET", default=10.0)
# After this many calls in a row found no platform (timeout, refused), calls fail at once for
# CLOUD_ELEMENTS_BREAKER_COOLDOWN seconds; counted per server process.
CLOUD_ELEMENTS_BREAKER_FAILURES = env.int("CLOUD_ELEMENTS_BREAKER_FAILURES", default=3)
CLOUD_ELEMENTS_BREAKER_COOLDOWN = env.float("CLOUD_ELEMENTS_BREAKER_COOLDOWN", default=30.0)
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=300)
# What is cached (catalog, counts, docs) belongs to one platform account: two dashboards sharing
# one Redis (staging and production, two organizations) never read each other's entries.
CACHES["default"].setdefault("KEY_PREFIX", hashlib.sha256(
    f"{CLOUD_ELEMENTS_URL}|{CLOUD_ELEMENTS_USER_SECRET}|{CLOUD_ELEMENTS_ORG_SECRET}".encode()
).hexdigest()[:16])

# --- Sandbox (our stand-in for the platform API) -----------------------------------
# off: not mounted; demo: mounted, fault switches on; test: as demo (set by the test suite).
# By default the sandbox is on only while the dashboard is pointed at a sandbox.
# The path our sandbox serves the API at: an API URL with it in is a sandbox, not the platform.
SANDBOX_API_PATH = "/sandbox/elements/api-v2"
ON_SANDBOX = SANDBOX_API_PATH in CLOUD_ELEMENTS_URL
SANDBOX_MODE = env("SANDBOX_MODE", default="demo" if ON_SANDBOX else "off")
# Admins have it (team/roles.py); the sandbox's fault switches ask for it by this name.
MANAGE_PERMISSION = "team.manage_instances"
SANDBOX_GENERATED_ELEMENTS = env.int("SANDBOX_GENERATED_ELEMENTS", default=0)
# How many unredeemed authorization codes its consent page (open to anyone) holds at most.
SANDBOX_OAUTH_CODES_MAX = env.int("SANDBOX_OAUTH_CODES_MAX", default=1000)

if not DEBUG and SECRET_KEY in PUBLIC_SECRET_KEYS and not ON_SANDBOX:
    raise ImproperlyConfigured(
        "SECRET_KEY is the built-in or example key, which anyone can read: set SECRET_KEY to a long "
        "random string (python -c 'import secrets; print(secrets.token_urlsafe(50))').")

# Error reports show no variable of the platform client's frames, nor of the HTTP library's.
DEFAULT_EXCEPTION_REPORTER_FILTER = "dashboard.error_reports.SecretsHiddenFilter"

# --- Logging: plain console lines; secrets never go into log records ------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"strip_query": {"()": "dashboard.log_filters.StripQueryStrings"},
                "one_line_refusals": {"()": "dashboard.log_filters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["strip_query"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False,
                          "filters": ["strip_query"]},
        # urllib3 logs whole URLs (an OAuth URL call carries the app's secret in its query).
        "urllib3": {"level": "ERROR"},
        # A 403 is one line, not a traceback (on the logger, so that every handler gets it so).
        "django.request": {"filters": ["one_line_refusals"]},
        # django-axes says every reset and lockout itself; team.logins says it once, in our words.
        "axes": {"level": "WARNING"},
    },
}
