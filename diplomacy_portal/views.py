import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import check_for_language, get_language
from django.views import i18n
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
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:
        logger.exception("Health check: broker unavailable")
        return False


@never_cache
def healthz(request):
    """200 when the database and the broker answer; 503 naming the one that does not."""
    checks = {
        "database": "ok" if _database_answers() else "unavailable",
        "broker": "ok" if _broker_answers() else "unavailable",
    }
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def livez(request):
    """200 while this process answers: a liveness probe that asks neither the database nor the
    broker (/healthz does). It passes every middleware, so the benchmark uses it as its ceiling."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
