"""Settings for the Citizen Diplomat Portal: every value comes from the environment.

README.md has the table of variables. Defaults are the safe ones (DEBUG off, no secret key),
so a production deployment differs from development by environment only.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from diplomacy_portal.release import UNNAMED, git_commit

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent
# Git-ignored home of local state: embedded services, uploads, collected static files.
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / ".data")))

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",  # its widget templates, for FORM_RENDERER
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "diplomacy_portal",
    "citizens",
    "sistercities",
    "initiatives",
    "proposals",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "diplomacy_portal.middleware.UserLanguageMiddleware",
    "diplomacy_portal.middleware.PrivilegedSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "diplomacy_portal.middleware.NullCharacterMiddleware",
    "diplomacy_portal.middleware.PrivilegedMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "diplomacy_portal.urls"
WSGI_APPLICATION = "diplomacy_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "diplomacy_portal.context_processors.portal",
                "citizens.context_processors.inbox",
            ],
        },
    },
]

# Forms Django renders itself find their templates where the pages' are (templates/forms/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/diplomacy_portal"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiler pays off on long analytical queries, not on a web page's: it spent
# 2.6 of the 3.5 s of the dashboards' health query compiling it (bench, city scale).
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off " + DATABASES["default"]["OPTIONS"].get(
    "options", ""
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Every use of Redis gives up after these many seconds, so a Redis that stops answering (a full
# disk, a stuck host) slows a request down by a second or two instead of holding a web worker:
# connecting; a cache operation (a failure is a miss, the page computed afresh; a request makes
# a few, hence half a second each); queueing a task (a failure leaves the work to the sweep).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
REDIS_CACHE_TIMEOUT = env.float("REDIS_CACHE_TIMEOUT", default=0.5)
REDIS_PUBLISH_TIMEOUT = env.float("REDIS_PUBLISH_TIMEOUT", default=1.0)
CACHES = {
    # Redis, but allauth's rate limits in the database: they must hold while Redis is away.
    "default": {
        "BACKEND": "diplomacy_portal.caches.RateLimitsInDatabaseCache",
        "OPTIONS": {"CACHE": "redis", "RATE_LIMITS": "rate-limits"},
    },
    "redis": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "portal",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_CACHE_TIMEOUT,
            "IGNORE_EXCEPTIONS": True,
        },
    },
    # `manage.py createcachetable` makes its table. Room for many entries: at the limit a third
    # of them is dropped, and with them counts of failed sign-ins an attacker would like gone.
    "rate-limits": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_rate_limits",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
# Every key the cache holds is named with the release, so what one release kept (pages rendered
# from its templates and wording, figures in the shape its code gave them) is never read by the
# next. Deployments name it (e.g. the image's tag); else the checkout's commit, read at start.
RELEASE = env.str("RELEASE", default="") or git_commit(BASE_DIR) or UNNAMED
CACHES["redis"]["KEY_PREFIX"] = f"portal:{RELEASE}"
# A cache operation that failed is answered as a miss and logged with its traceback.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "diplomacy_portal.redis"

AUTH_USER_MODEL = "citizens.User"
AUTHENTICATION_BACKENDS = [
    "citizens.backends.KeptAccessBackend",  # ModelBackend, roles and permissions kept in Redis
    "allauth.account.auth_backends.AuthenticationBackend",  # signs in with an e-mail address
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login, verified before first use; its rate limits stay on
# (they are on by default and are kept in the database, see CACHES).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# A new citizen who confirms their address (in the browser they signed up in) is signed in and
# goes straight on to the application: that is what they came for.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_REDIRECT_URL = "citizens:application-form"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "citizens.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "citizens.adapters.SignupForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Staff, officials and coordinators need a sign-in with two-factor authentication for every
# page but public ones and their own account: diplomacy_portal.middleware, PrivilegedMFA...
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Citizen Diplomat Portal")
# A code typed as its 30 seconds run out still counts (RFC 6238 §5.2 allows one step of delay).
MFA_TOTP_TOLERANCE = 1

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Tehran")
USE_I18N = True
USE_TZ = True

# The portal's public address, for links in e-mails sent by workers (no request to ask).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The home city is data, not code: another city runs the same portal with its own values.
HOME_CITY = {
    "name_en": env.str("HOME_CITY_NAME_EN", default="Isfahan"),
    "name_fa": env.str("HOME_CITY_NAME_FA", default="اصفهان"),
    "latitude": env.float("HOME_CITY_LATITUDE", default=32.652),
    "longitude": env.float("HOME_CITY_LONGITUDE", default=51.675),
    "districts": env.int("HOME_CITY_DISTRICTS", default=15),
}
# Applicants must be adults; documents are kept small.
MINIMUM_APPLICANT_AGE = env.int("MINIMUM_APPLICANT_AGE", default=18)
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# A CV is read as a PDF reader would (citizens/pdf_inspection.py) within these limits: more pages
# or parts, or more bytes once its streams are expanded, and it is refused; so is one whose
# check takes longer than this many seconds.
PDF_MAX_PAGES = env.int("PDF_MAX_PAGES", default=50)
PDF_MAX_OBJECTS = env.int("PDF_MAX_OBJECTS", default=20_000)
PDF_MAX_DECODED_BYTES = env.int("PDF_MAX_DECODED_BYTES", default=256 * 1024 * 1024)
PDF_INSPECTION_SECONDS = env.int("PDF_INSPECTION_SECONDS", default=20)
# ClamAV's daemon, when there is one: the path of its Unix socket. Uploads are refused while it
# does not answer; unset, nothing is scanned and the admin's document view says so.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
# E-mails go out in chunks, one task and one SMTP connection each (a meeting's thousands of
# invitations are spread over the workers); an e-mail's RSVP link works for this many days
# after it was sent.
INVITATION_CHUNK_SIZE = env.int("INVITATION_CHUNK_SIZE", default=200)
RSVP_TOKEN_MAX_AGE_DAYS = env.int("RSVP_TOKEN_MAX_AGE_DAYS", default=180)
# A change to a meeting waits this many seconds before invitees are sent it: further edits
# meanwhile (the agenda, then the place) go out together as one update.
MEETING_UPDATE_DELAY_SECONDS = env.int("MEETING_UPDATE_DELAY_SECONDS", default=120)
# A coordinator may write to members or invitees this many times an hour (the coordinator's
# desk): a slip of the hand reaches nobody twice, and a stolen session cannot spam a city.
DESK_MESSAGES_PER_HOUR = env.int("DESK_MESSAGES_PER_HOUR", default=10)
# How long the "stop e-mails like this one" link of an e-mail works.
UNSUBSCRIBE_LINK_MAX_AGE_DAYS = env.int("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", default=365)
# Following a city or an initiative by e-mail: the confirmation link's life, and how many
# requests one address, or one client address, may make per hour.
FOLLOW_CONFIRM_MAX_AGE_DAYS = env.int("FOLLOW_CONFIRM_MAX_AGE_DAYS", default=7)
FOLLOW_REQUESTS_PER_ADDRESS = env.int("FOLLOW_REQUESTS_PER_ADDRESS", default=3)
FOLLOW_REQUESTS_PER_CLIENT = env.int("FOLLOW_REQUESTS_PER_CLIENT", default=20)
# A sister city with no activity (a meeting held, an initiative started or updated, a contact
# logged) for this many days is fading; the dashboards' figures are cached this many seconds.
CITY_FADING_AFTER_DAYS = env.int("CITY_FADING_AFTER_DAYS", default=90)
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# An agreement ending within this many days is "expiring": the dashboards list it and the staff
# are told once when it enters that window and once when it has expired (checked by beat every
# AGREEMENT_CHECK_INTERVAL_SECONDS; each notice is recorded, so a repeated check tells no one).
AGREEMENT_RENEWAL_NOTICE_DAYS = env.int("AGREEMENT_RENEWAL_NOTICE_DAYS", default=90)
AGREEMENT_CHECK_INTERVAL_SECONDS = env.float("AGREEMENT_CHECK_INTERVAL_SECONDS", default=3600.0)
# Public pages (the sister cities', the list of initiatives) and the forms' lists of cities are
# rendered once per change of what they show and kept at most this long (a change made outside
# the portal, in SQL, shows within it).
# The open data API (/api/v1/, the opendata app): read-only JSON, without the session; a personal
# token (/me/api-tokens/) is sent as "Authorization: Bearer <key>". Requests per address
# without a token, and per token, as DRF writes rates ("60/min", "1000/hour").
API_ANONYMOUS_RATE = env.str("API_ANONYMOUS_RATE", default="60/min")
API_TOKEN_RATE = env.str("API_TOKEN_RATE", default="600/min")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["opendata.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "opendata.throttles.AddressThrottle",
        "opendata.throttles.TokenThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "opendata.exceptions.handle",
    # Proxies in front of the portal that add X-Forwarded-For: 0 counts the connecting address,
    # which no client can forge.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Citizen Diplomat Portal: open data API",
    "DESCRIPTION": (
        "The programme's public data, read-only: sister cities, joint initiatives, public "
        "meetings, the cities' public agreements, accepted proposals and figures. Lists take "
        "a cursor (follow `next`), answer 304 to If-None-Match or If-Modified-Since while "
        "nothing changed, and are limited per address (429 with Retry-After). Nothing personal "
        "is published."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CityStatusEnum": "sistercities.models.SisterCity.Status",
        "InitiativeStatusEnum": "initiatives.models.Initiative.Status",
        "MeetingStatusEnum": "initiatives.models.Meeting.Status",
        "CooperationFieldEnum": "diplomacy_portal.vocabulary.CooperationField",
    },
}

PUBLIC_PAGES_CACHE_SECONDS = env.int("PUBLIC_PAGES_CACHE_SECONDS", default=3600)

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Uploaded documents are private: no URL pattern serves this prefix; views that check the viewer
# stream each document.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "diplomacy_portal.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=8)
MAIL_RETRY_BASE_SECONDS = env.int("MAIL_RETRY_BASE_SECONDS", default=30)
MAIL_RETRY_MAX_SECONDS = 1800
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Citizen Diplomat Portal <no-reply@localhost>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Celery: the broker is Redis; a task is acknowledged only once done, so a worker that dies
# mid-task leaves it to be redelivered (tasks are idempotent, see STYLE.md).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="portal")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Longer than the longest task, so Redis never hands a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_PUBLISH_TIMEOUT,
}
# A request that queues work must not hang on a broker that is down or frozen: one try of at
# most REDIS_PUBLISH_TIMEOUT, then the work is left to the sweep (see diplomacy_portal/queue.py).
# A connection Redis closed meanwhile is replaced before the try, not counted as one.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 900
# Delivery is owed by rows in the database; a sweep queues again what no worker sent within
# the grace time (the broker was down or lost the task, a worker died).
DELIVERY_SWEEP_GRACE_SECONDS = env.int("DELIVERY_SWEEP_GRACE_SECONDS", default=120)
_SWEEP_EVERY = env.float("DELIVERY_SWEEP_INTERVAL_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "queue-due-emails": {"task": "citizens.tasks.queue_due_emails", "schedule": _SWEEP_EVERY},
    "send-meeting-reminders": {
        "task": "initiatives.tasks.send_meeting_reminders",
        # A reminder comes at most this late after its lead (1 hour, 1 day, 2 days) has come.
        "schedule": env.float("MEETING_REMINDER_INTERVAL_SECONDS", default=300.0),
    },
    "tell-about-agreements": {
        "task": "sistercities.tasks.tell_about_agreements",
        "schedule": AGREEMENT_CHECK_INTERVAL_SECONDS,
    },
    "record-fading-cities": {
        "task": "sistercities.tasks.record_fading_cities",
        "schedule": crontab(hour=6, minute=0),
    },
    # Each person's digest goes out in the check after their chosen hour begins.
    "send-digests": {
        "task": "citizens.tasks.send_digests",
        "schedule": env.float("DIGEST_CHECK_INTERVAL_SECONDS", default=300.0),
    },
    "clear-expired-sessions": {
        "task": "citizens.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
}
# Answers from calendar programs (initiatives/services/calendar_replies.py): invitations name
# CALENDAR_REPLY_ADDRESS as their organizer and come from it; the mail it receives is delivered
# into CALENDAR_REPLY_MAILDIR, which beat reads. Both empty: the coordinator is the organizer and
# answers are given with the RSVP links only.
CALENDAR_REPLY_ADDRESS = env.str("CALENDAR_REPLY_ADDRESS", default="")
CALENDAR_REPLY_MAILDIR = env.str("CALENDAR_REPLY_MAILDIR", default="")
if CALENDAR_REPLY_MAILDIR:
    CELERY_BEAT_SCHEDULE["read-calendar-replies"] = {
        "task": "initiatives.tasks.read_calendar_replies",
        "schedule": env.float("CALENDAR_REPLY_INTERVAL_SECONDS", default=60.0),
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis) and written to both it and the database, which
# still holds them when Redis is away or has lost them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if SESSION_COOKIE_SECURE:
    # __Host- cookies are HTTPS-only and bound to this host: no subdomain can set or read them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    MESSAGE_STORAGE = "diplomacy_portal.message_storage.HostFallbackStorage"
# Staff, officials and coordinators are signed out after this long without a request.
PRIVILEGED_SESSION_IDLE_SECONDS = env.int("PRIVILEGED_SESSION_IDLE_SECONDS", default=30 * 60)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "diplomacy_portal.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
# No inline script anywhere; a page that needs one uses request.csp_nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
