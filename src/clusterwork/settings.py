"""One environment-driven settings module.

Defaults give a zero-set-up developer install (SQLite file under ``var/``, DEBUG on).
Production sets ``DEBUG=0``, ``SECRET_KEY``, ``DATABASE_URL`` and optionally ``REDIS_URL``;
nothing is kept in process memory, so several app servers can share one database.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
# The project checkout (where var/ lives); override with CLUSTERWORK_HOME for installed copies.
BASE_DIR = Path(os.environ.get("CLUSTERWORK_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("CLUSTERWORK_VAR", BASE_DIR / "var"))
# Shared open data (GIAS, CPMP instances) is read in place, never copied into the project.
DATA_DIR = Path(os.environ.get("CLUSTERWORK_DATA", BASE_DIR.parent / "shared" / "data"))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Clusterwork refuses to start without one: "
            "set the SECRET_KEY environment variable to a long random string."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
    "ninja",  # serves Swagger UI's files for /api/v1/docs locally instead of from a CDN
    # Sign-in: passwords, Microsoft / Google (OpenID Connect), two-factor (TOTP).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    # In layers, lowest first (docs/architecture.md; `make lint` checks the imports).
    "clusterwork.core",
    "clusterwork.people",
    "clusterwork.schools",
    "clusterwork.clusters",
    "clusterwork.formation",
    "clusterwork.stages",
    "clusterwork.goals",
    "clusterwork.surveys",
    "clusterwork.meetings",
    "clusterwork.resources",
    "clusterwork.circumstances",
    "clusterwork.funding",
    "clusterwork.packages",
    "clusterwork.sharedservices",
    "clusterwork.sharing",
    "clusterwork.governance",
    "clusterwork.reports",
    "clusterwork.api",
    "clusterwork.dashboard",
    "clusterwork.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "clusterwork.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "clusterwork.people.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "clusterwork.urls"
WSGI_APPLICATION = "clusterwork.wsgi.application"
ASGI_APPLICATION = "clusterwork.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusterwork.core.context_processors.menus",
            ],
        },
    },
]
if django.VERSION < (6, 0):  # pragma: no cover - Django 5.2 on Python 3.11
    # Django 6 adopted {% partialdef %} and "page.html#partial" from django-template-partials;
    # on 5.2 the package supplies both: its app wraps the loaders, builtins spare a {% load %}.
    INSTALLED_APPS.append("template_partials")
    TEMPLATES[0]["OPTIONS"]["builtins"] = ["template_partials.templatetags.partials"]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "clusterwork.sqlite3",
            "OPTIONS": {
                # WAL lets the web server read while a background task writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sessions: an absolute lifetime (default 8 hours, a school day) and, when
# SESSION_IDLE_TIMEOUT is on, a sliding one (every request renews it, so an idle session
# ends after SESSION_COOKIE_AGE seconds). Cookies are never readable by scripts.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = env_bool("SESSION_IDLE_TIMEOUT", False)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "login"

# ----- sign-in (django-allauth; docs/sign-in.md) ------------------------------------------
# Accounts are made by whoever appoints people, never by signing up. People sign in with
# their email and password, or with their school's Microsoft or Google account (OpenID
# Connect), which signs in the existing account with the same, provider-verified email.
ACCOUNT_ADAPTER = "clusterwork.people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "clusterwork.people.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Lockout: after 5 failed sign-ins for one account in 15 minutes (or 30 from one address)
# further tries are refused with "Too many failed sign-in attempts" until the window passes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("SIGN_IN_LOCKOUT", "5/15m/key,30/15m/ip"),
    "reset_password": "5/h/ip,3/h/key",
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in button posts (CSRF-protected)
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10


def _oidc_app(provider_id: str, name: str, default_server_url: str) -> dict | None:
    """An OpenID Connect sign-in configured from SSO_<ID>_CLIENT_ID / _SECRET / _SERVER_URL
    (and _VERIFIED_DOMAINS: the email domains the provider vouches for, e.g. a Microsoft
    tenant's own domains, for providers that send no email_verified claim)."""
    prefix = f"SSO_{provider_id.upper()}_"
    client_id = os.environ.get(prefix + "CLIENT_ID", "")
    if not client_id:
        return None
    app = {
        "provider_id": provider_id,
        "name": name,
        "client_id": client_id,
        "secret": os.environ.get(prefix + "SECRET", ""),
        "settings": {
            "server_url": os.environ.get(prefix + "SERVER_URL", default_server_url),
            "oauth_pkce_enabled": True,
            "scope": ["openid", "profile", "email"],
        },
    }
    domains = [d.strip() for d in os.environ.get(prefix + "VERIFIED_DOMAINS", "").split(",")]
    if any(domains):
        app["settings"]["verified_email"] = [d for d in domains if d]
    return app


SSO_APPS = [
    app
    for app in (
        _oidc_app(
            "microsoft",
            "Microsoft",
            "https://login.microsoftonline.com/"
            f"{os.environ.get('SSO_MICROSOFT_TENANT', 'common')}/v2.0",
        ),
        _oidc_app("google", "Google", "https://accounts.google.com"),
    )
    if app
]
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": SSO_APPS}}

# Two-factor authentication: an authenticator app (TOTP) with recovery codes. Required, while
# MFA_REQUIRED_FOR_ADMINS is on, of superusers and of programme and trust admins.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Clusterwork")
MFA_REQUIRED_FOR_ADMINS = env_bool("MFA_REQUIRED_FOR_ADMINS", True)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "clusterwork_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise looks for STATIC_ROOT at start-up; in development files come from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (receipts, photos, documents): outside the web root and never served by URL;
# only core.uploads.serve sends one, after the page has checked who may see it.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("CLUSTERWORK_PRIVATE_MEDIA", VAR_DIR / "private"))

_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": _email_backend}}
else:  # pragma: no cover - Django 5.2 / 6.0
    EMAIL_BACKEND = _email_backend
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clusterwork@localhost")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# Security headers on every response (core.security), in development too, so the browser
# tests see the same policy as production.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    # Map tiles (OpenStreetMap) on the cluster and formation maps.
    "img-src": ["'self'", "data:", "https://tile.openstreetmap.org"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# Signing in with Microsoft or Google posts a form that is redirected to the provider.
CONTENT_SECURITY_POLICY["form-action"] += sorted(
    {"{0.scheme}://{0.netloc}".format(urlsplit(a["settings"]["server_url"])) for a in SSO_APPS}
)
PERMISSIONS_POLICY_DENY = ["camera", "microphone", "geolocation", "payment", "usb"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Personal data (docs/personal-data.md): people whose every role ended this many days ago are
# anonymised by `clusterwork apply-retention` (run it daily). Six years by default: what
# schools keep staff records for after employment ends.
PERSONAL_DATA_ROLE_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_ROLE_RETENTION_DAYS", "2190"))

# Default cluster size bounds when a programme sets none (research in seed 002: 3–12 works best).
CLUSTER_MIN_SIZE_DEFAULT = 3
CLUSTER_MAX_SIZE_DEFAULT = 12
