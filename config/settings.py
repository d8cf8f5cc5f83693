"""Settings for the 一体化执法 platform, read from the environment.

Defaults make `make run` and `make test` work on a fresh clone with no
environment at all (SQLite file, Celery eager, in-memory cache). With
DEBUG off the process refuses to start on the development secret or
without ALLOWED_HOSTS. See README.md ("Configuration") for every variable.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from campaign.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0000000000000000"
DEBUG = env_bool("DEBUG", default=True)
# Django's technical error pages (they list every URL): only when a developer asks for them
TECHNICAL_ERROR_PAGES = env_bool("TECHNICAL_ERROR_PAGES", default=False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DEBUG 关闭时必须设置 SECRET_KEY（至少 50 个字符），不能使用开发默认值。"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG 关闭时必须设置 ALLOWED_HOSTS。")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the widget templates, for FORM_RENDERER
    "rest_framework",
    "rest_framework.authtoken",  # listed by name: its models are abstract otherwise
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served by us, not from a CDN
    "config.apps.ChineseGuardian",  # guardian
    "config.apps.ChineseAuditlog",  # auditlog
    "config.apps.ChineseAxes",  # axes
    # our apps, in layer order (DESIGN.md): each imports only the ones above it here
    "campaign",
    "enterprises",
    "inspections",
    "cases",
    "rectification",
    "crosscheck",
    "reporting",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "campaign.edge.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL characters and undecodable charsets are a 400 before anything reads them
    "campaign.edge.BadInputMiddleware",
    # our Chinese 404 page also with DEBUG on (the technical one behind TECHNICAL_ERROR_PAGES=1)
    "campaign.edge.NotFoundPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # the access policy reads a user's active grants once per request
    "campaign.access.RequestCacheMiddleware",
    # an API write sent again with the same Idempotency-Key (the outbox) is answered, not redone
    "campaign.edge.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # last, so that it sees the authenticated user and every failed login
    "axes.middleware.AxesMiddleware",
]

# every asset is served by the app itself; signatures are data: images, photo previews blob:
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "campaign.User"

# form widgets render through our templates too: an empty choice reads 请选择, not ---------
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
FILTERS_EMPTY_CHOICE_LABEL = "全部"  # django-filter's lists: an unset filter shows everything
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
                "campaign.context_processors.platform",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # several requests and the eager Celery tasks share one file: wait instead of failing
    # IMMEDIATE: a writing transaction waits for the lock instead of failing with "database is locked"
    # when several requests save at once (the record form saves each line as it is typed)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # a file, not shared-cache memory: the browser tests' live server answers requests in parallel
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}
    # a fresh checkout has no var/ yet: SQLite cannot create its file in a missing folder
    (BASE_DIR / "var").mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, Celery ----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yth",
            # a hung Redis must not hang every request (the count cache is asked on each write)
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# exact list counts cached until a table they read is written (campaign/counting.py); only with a
# cache every process shares: with the in-memory cache each gunicorn worker would keep its own
COUNT_CACHE = env_bool("COUNT_CACHE", default=bool(REDIS_URL))

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
# Without a broker the tasks run in-process, so clone → run works with nothing else.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    # Object grants (an expert on one inspection, a visiting team on one
    # enterprise) are time-boxed; this takes away the ones whose time is over.
    "revoke-expired-grants": {
        "task": "campaign.tasks.revoke_expired_grants",
        "schedule": crontab(minute="*/10"),
    },
    # A running background job whose worker stopped reporting is marked failed; a queued one whose
    # message was lost is sent again.
    "jobs-reap": {"task": "campaign.tasks.jobs_reap", "schedule": crontab(minute="*/5")},
    # The files of background jobs are kept JOB_RETENTION_DAYS, then deleted at night.
    "jobs-purge": {"task": "campaign.tasks.jobs_purge", "schedule": crontab(hour=3, minute=17)},
    # Resumable uploads: the partial files of uploads a service has taken, or left unfinished
    # past RESUMABLE_KEEP_HOURS, are deleted every hour.
    "uploads-purge": {"task": "campaign.tasks.uploads_purge", "schedule": crontab(minute=41)},
    # Stage 3: each morning the open statutory clocks are recomputed if the holiday data changed,
    # and a reminder is written for each one due within CASE_REMINDER_WORKING_DAYS or overdue.
    "case-deadlines": {
        "task": "cases.tasks.deadlines_daily",
        "schedule": crontab(hour=6, minute=30),
    },
    # Stage 4: each morning items past their deadline are marked overdue (and escalated to the
    # city after RECTIFICATION_ESCALATE_WORKING_DAYS), and after the rectification window an
    # unfinished 攻坚 facility task becomes a "facility not built" proposal for the bureau.
    "rectification-overdue": {
        "task": "rectification.tasks.overdue_daily",
        "schedule": crontab(hour=6, minute=40),
    },
    # Plugs in with the weekly report (stage reports): Friday 17:30 Asia/Shanghai.
}
# a clock is "due soon" within this many working days (到期提醒, the daily reminders)
CASE_REMINDER_WORKING_DAYS = env_int("CASE_REMINDER_WORKING_DAYS", 3)
# stage 4: an overdue rectification item goes to the city after this many working days
RECTIFICATION_ESCALATE_WORKING_DAYS = env_int("RECTIFICATION_ESCALATE_WORKING_DAYS", 5)
# stage 5: the working days a city has to answer an accountability record
CROSSCHECK_RESPONSE_WORKING_DAYS = env_int("CROSSCHECK_RESPONSE_WORKING_DAYS", 10)
# the check items whose problems are 攻坚 pollution-control facility tasks (seed plan 四(四))
RECTIFICATION_FACILITY_ITEMS = ("SS-28",)
# a facility task not finished in time is recorded on this item and case type
# (建设项目环境保护管理条例 art. 23: facilities not built yet operating)
RECTIFICATION_UNBUILT_ITEM = "HF-03"
RECTIFICATION_UNBUILT_VIOLATION = "EIA-04"

# --- auth, security -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out users before any check
    "django.contrib.auth.backends.ModelBackend",
    "campaign.auth.RolePermissionBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row (the public sees nothing scoped)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# uploads: checked again per field (type, size) by the forms that accept files
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_IMPORT_FILE_BYTES = env_int("MAX_IMPORT_FILE_BYTES", 50 * 1024 * 1024)
# the most rows and columns an import sheet may declare or hold (Henan has about 130,000 units)
MAX_IMPORT_ROWS = env_int("MAX_IMPORT_ROWS", 300_000)
MAX_IMPORT_COLUMNS = env_int("MAX_IMPORT_COLUMNS", 60)
# lists longer than this are exported by a background job (about a second of work in the request,
# measured in benchmarks/RESULTS.md); imports with more data rows than IMPORT_JOB_ROWS likewise
EXPORT_JOB_ROWS = env_int("EXPORT_JOB_ROWS", 5_000)
IMPORT_JOB_ROWS = env_int("IMPORT_JOB_ROWS", 1_000)
# a background job's files are deleted this many days after it finished
JOB_RETENTION_DAYS = env_int("JOB_RETENTION_DAYS", 7)
# resumable uploads (campaign/resumable.py): the largest file one may declare, and how long an
# upload is kept after its last piece arrived (unfinished, or finished and never taken)
RESUMABLE_MAX_BYTES = env_int("RESUMABLE_MAX_BYTES", 50 * 1024 * 1024)
RESUMABLE_KEEP_HOURS = env_int("RESUMABLE_KEEP_HOURS", 48)

# --- i18n ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# what Django's own translation lacks (locale/zh_Hans/LC_MESSAGES/django.po)
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call gets 401 with a WWW-Authenticate header
        "campaign.edge.AuditedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "campaign.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "campaign.schema.AutoSchema",
    # bodies are one JSON object, not too deep, without NUL (or a form with files)
    "DEFAULT_PARSER_CLASSES": [
        "campaign.edge.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "campaign.edge.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "一体化执法平台 API",
    "DESCRIPTION": "排污单位一体化专项执法平台的接口。所有数据按用户的管辖范围过滤；范围外的对象返回 404。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # several models have a field named "kind"/"status": give each choice set its own name
    "ENUM_NAME_OVERRIDES": {
        "ProblemKindEnum": "inspections.models.ProblemKind",
        "RegionKindEnum": "campaign.models.core.Region.Kind",
        "RosterGroupKindEnum": "campaign.models.organisation.RosterGroup.Kind",
        "SelfCheckStatusEnum": "inspections.models.SelfCheck.Status",
        "ProblemStatusEnum": "inspections.models.Problem.Status",
        "ComplaintStatusEnum": "campaign.models.complaints.Complaint.Status",
        "SelfCheckResultEnum": "inspections.models.SelfCheckAnswer.Result",
        "FindingResultEnum": "inspections.models.InspectionFinding.Result",
        "ProblemSourceEnum": "inspections.models.Problem.Source",
        "InspectionSourceEnum": "inspections.models.Inspection.Source",
        "InspectionStatusEnum": "inspections.models.Inspection.Status",
        "CaseStatusEnum": "cases.models.Case.Status",
        "CaseSourceEnum": "cases.models.Case.Source",
        "HandlingPathEnum": "cases.models.Path",
        "NoticeStatusEnum": "cases.models.Notice.Status",
        "ServiceMethodEnum": "cases.models.Notice.Method",
        "ReplyKindEnum": "cases.models.Reply.Kind",
        "MeasureKindEnum": "cases.models.Measure.Kind",
        "MeasureStatusEnum": "cases.models.Measure.Status",
        "CaseDocumentKindEnum": "cases.models.document.CaseDocument.Kind",
        "RectificationItemStatusEnum": "rectification.models.RectificationItem.Status",
        "ExtensionStatusEnum": "rectification.models.Extension.Status",
        "FacilityProposalStatusEnum": "rectification.models.FacilityProposal.Status",
        "ItemEvidenceKindEnum": "rectification.models.ItemEvidence.Kind",
        "ItemCheckMethodEnum": "rectification.models.ItemCheck.Method",
        "VerificationRoundLevelEnum": "crosscheck.models.VerificationRound.Level",
        "VerificationRoundStatusEnum": "crosscheck.models.VerificationRound.Status",
        "TeamMemberRoleEnum": "crosscheck.models.TeamMember.Role",
    },
}

# --- audit ---------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False  # each domain model registers itself (see its app's apps.py)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # 403/404 are answers, not incidents: only server errors are logged with a traceback
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
