"""Test settings: production settings, overriding only what tests must."""

import os
import tempfile
import uuid

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret-" + "x" * 40)
# Each run (and each xdist worker of a run) has its own queue on the shared broker, so workers of
# other runs never take its tasks.
os.environ["CELERY_QUEUE"] = f"portal-test-{uuid.uuid4().hex[:8]}"

from diplomacy_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test starts with an empty cache (allauth's rate limits live there); tests that are about
# Redis itself use it directly.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Named here so that the test database gets the rate limits' table (Django's test set-up
    # runs createcachetable), which the portal processes some tests start write to.
    "rate-limits": CACHES["rate-limits"],  # noqa: F405
}
# Background work runs in-process after commit; tests marked `worker` start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
WHITENOISE_USE_FINDERS = True
# Look a static file up when it is asked for rather than list them all up front: every test
# client builds the middleware again, and listing them took ~10 ms each time.
WHITENOISE_AUTOREFRESH = True
# The live server speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SESSION_COOKIE_NAME, CSRF_COOKIE_NAME, LANGUAGE_COOKIE_NAME = "sessionid", "csrftoken", "language"
# A browser refuses a __Host- cookie over plain HTTP: the messages keep Django's cookie too.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"
