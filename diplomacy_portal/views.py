import logging
import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import check_for_language, get_language
from django.views import defaults, i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from kombu import Connection

from citizens.services.accounts import set_preferred_language
from sistercities.models import SisterCity

from . import fragments

logger = logging.getLogger(__name__)


def home(request):
    def cities_section():
        cities = SisterCity.objects.order_by("established_year", "name_en")
        return render_to_string("_home_cities.html", {"cities": cities}, request=request)

    context = {
        "cities_section": fragments.kept(
            f"home-cities:{get_language()}",
            cities_section,
            timeout=settings.PUBLIC_PAGES_CACHE_SECONDS,
            topics=("cities",),
        )
    }
    return render(request, "home.html", context)


def csrf_failure(request, reason=""):
    """A form refused for its missing or stale CSRF token, explained (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


# A database restart or failover takes seconds; browsers and proxies may try again after this.
DATABASE_RETRY_AFTER_SECONDS = 30


def server_error(request):
    """The 500 page (handler500); 503 with Retry-After while the database cannot be reached."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # Rendered without the request's context: its processors would ask the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)


@require_POST
def set_language(request):
    """Switch the language; for a signed-in user it also becomes their saved preference."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and check_for_language(language)
    ):
        set_preferred_language(user=request.user, language=language)
    return response


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("Health check: database unavailable")
        return False


def _broker_answers() -> bool:
    # Short timeouts, as the cache's: a Redis that accepts connections but never answers would
    # otherwise hold this check, and the web worker, for good.
    options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_timeout": settings.REDIS_CACHE_TIMEOUT,
    }
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
            transport_options=options,
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=settings.REDIS_CACHE_TIMEOUT)
        return True
    except Exception:
        logger.exception("Health check: broker unavailable")
        return False


def _cache_answers() -> bool:
    # The cache answers its failures as misses, so pages never see them: ask it to store
    # something new, which it reports having done only if Redis answered.
    try:
        return bool(cache.add(f"healthz:{uuid.uuid4().hex}", True, timeout=10))
    except Exception:
        logger.exception("Health check: cache unavailable")
        return False


@never_cache
def healthz(request):
    """200 when the database, the broker and the cache answer; 503 naming those that do not."""
    checks = {
        "database": "ok" if _database_answers() else "unavailable",
        "broker": "ok" if _broker_answers() else "unavailable",
        "cache": "ok" if _cache_answers() else "unavailable",
    }
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def livez(request):
    """200 while this process answers: a liveness probe that asks neither the database nor the
    broker (/healthz does). It passes every middleware, so the benchmark uses it as its ceiling."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers and feed readers ask /favicon.ico whatever the page says: send them to the icon
    among the static files (served by whitenoise, cached for good under its hashed name)."""
    return redirect(static("img/favicon.ico"))
