import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from citizens.roles import MUNICIPAL_STAFF, has_role
from diplomacy_portal import fragments
from initiatives import public_feeds
from initiatives.forms import FollowForm
from initiatives.selectors import public_feed_meetings
from initiatives.views import follow_page

from . import selectors
from .forms import DashboardFilterForm
from .models import Agreement, SisterCity
from .selectors import city as city_selectors
from .selectors import dashboard as dashboard_selectors
from .selectors.activity import home_marker
from .tables import Table, csv_response, xlsx_response


def _map_data(cities) -> dict:
    """What static/js/city_map.js draws: the home city, and each city with its link."""
    return {
        "home": home_marker(),
        "cities": [
            {
                "name": city.name,
                "url": city.get_absolute_url(),
                "latitude": float(city.latitude),
                "longitude": float(city.longitude),
            }
            for city in cities
        ],
    }


def city_list(request):
    def body():
        cities = list(selectors.public_cities())
        context = {"cities": cities, "map_data": _map_data(cities)}
        return render_to_string("sistercities/_city_list_body.html", context, request=request)

    shared = fragments.kept(
        f"city-list:{get_language()}",
        body,
        timeout=settings.PUBLIC_PAGES_CACHE_SECONDS,
        topics=("cities",),
    )
    return render(request, "sistercities/city_list.html", {"body": shared})


def city_detail(request, slug):
    def page():
        city = get_object_or_404(SisterCity, slug=slug)
        context = {
            "city": city,
            "contacts": selectors.recent_contacts(city=city),
            "agreements": selectors.public_agreements(city=city),
            "proposals": selectors.accepted_proposals(city=city),
            "map_data": _map_data([city]),
            "feed_url": settings.SITE_URL
            + reverse("sistercities:city-meetings-feed", args=[city.slug]),
        }
        body = render_to_string("sistercities/_city_detail_body.html", context, request=request)
        return {"city_name": city.name, "body": body}

    # Kept per slug: a slug of no city answers 404 and keeps nothing. And per day: an
    # agreement's status follows the date.
    shared = fragments.kept(
        f"city:{slug}:{get_language()}:{timezone.localdate()}",
        page,
        timeout=settings.PUBLIC_PAGES_CACHE_SECONDS,
        topics=("cities", "proposals"),
    )
    follow = {
        "follow_url": reverse("sistercities:city-follow", args=[slug]),
        "follow_form": FollowForm(auto_id="follow-%s"),
    }
    return render(request, "sistercities/city_detail.html", {**shared, **follow})


@never_cache
def city_follow(request, slug):
    """Follow the city's public meetings by e-mail, without an account."""
    return follow_page(request, get_object_or_404(SisterCity, slug=slug))


@require_safe
def city_meetings_feed(request, slug):
    """The public meetings with a sister city (its own and its initiatives') as a calendar
    anyone may subscribe to."""

    def build():
        city = get_object_or_404(SisterCity, slug=slug)
        meetings = public_feed_meetings(city_id=city.pk)
        name = _("%(city)s: public meetings") % {"city": city.name}
        return meetings, name, settings.SITE_URL + city.get_absolute_url()

    return public_feeds.feed_response(request, key=f"city:{slug}", build=build)


def _dashboard_view(view):
    """Officials and staff only: anonymous people sign in first, everyone else gets a 403."""
    return login_required(
        permission_required("sistercities.view_dashboard", raise_exception=True)(view)
    )


def _export(table: Table | None, file_format: str, filename: str):
    if table is None or file_format not in ("csv", "xlsx"):
        raise Http404
    if file_format == "csv":
        return csv_response(table, filename)
    return xlsx_response(table, filename)


@_dashboard_view
def dashboard(request):
    filters = DashboardFilterForm.filters_of(request.GET)

    def body():
        context = {
            "form": DashboardFilterForm(request.GET),
            "filters": filters,
            **dashboard_selectors.overview(**filters),
        }
        return render_to_string("sistercities/_dashboard_body.html", context, request=request)

    # Rendering thousands of table cells costs far more than reading the cached figures: the
    # rendered tables are kept as long as the figures.
    shared = fragments.kept(
        dashboard_selectors.overview_key(**filters),
        body,
        timeout=settings.DASHBOARD_CACHE_SECONDS,
    )
    return render(request, "sistercities/dashboard.html", {"body": shared})


@_dashboard_view
def dashboard_export(request, table, file_format):
    filters = DashboardFilterForm.filters_of(request.GET)
    tables = dashboard_selectors.overview(**filters)["tables"]
    return _export(tables.get(table), file_format, f"dashboard-{table}")


@_dashboard_view
def dashboard_city(request, slug):
    # Names of the diplomats engaged with a city are for the municipal staff, not officials.
    with_names = has_role(request.user, MUNICIPAL_STAFF)

    def page():
        city = get_object_or_404(SisterCity, slug=slug)
        context = {"city": city, **city_selectors.city_overview(city=city, with_names=with_names)}
        body = render_to_string("sistercities/_dashboard_city_body.html", context, request=request)
        return {"city_name": city.name, "body": body}

    # Kept per slug, as the public page is: a slug of no city answers 404 and keeps nothing.
    shared = fragments.kept(
        city_selectors.city_overview_key(slug=slug, with_names=with_names),
        page,
        timeout=settings.DASHBOARD_CACHE_SECONDS,
    )
    return render(request, "sistercities/dashboard_city.html", shared)


@_dashboard_view
def dashboard_city_export(request, slug, table, file_format):
    city = get_object_or_404(SisterCity, slug=slug)
    whole = city_selectors.city_table(
        city=city, slug=table, with_names=has_role(request.user, MUNICIPAL_STAFF)
    )
    return _export(whole, file_format, f"{city.slug}-{table}")


def may_read_agreements(user) -> bool:
    """The municipal staff, who keep the agreements, and the city officials."""
    return user.has_perm("sistercities.view_agreement") or user.has_perm(
        "sistercities.view_dashboard"
    )


@never_cache
def agreement_document(request, public_id: uuid.UUID):
    """An agreement's document: a public one for anyone, the others for staff and officials."""
    agreement = get_object_or_404(Agreement.objects.exclude(document=""), public_id=public_id)
    if not agreement.downloadable_by_anyone:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_read_agreements(request.user):
            raise Http404
    response = FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=f"agreement-{agreement.pk}{Path(agreement.document.name).suffix}",
    )
    # Downloaded, never rendered as the portal's page; a sandbox if a browser renders it anyway.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
