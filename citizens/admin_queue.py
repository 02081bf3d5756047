"""The review queue's list: what its page counts, reads and offers as filters."""

from functools import partial

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy

from diplomacy_portal.vocabulary import CooperationField

from .models import DiplomatApplication, LanguageSkill


class CountedPaginator(Paginator):
    """A paginator told its count when the caller already knows it."""

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return super().count if self.known_count is None else self.known_count


# How old the queue's counts by status (and so its page count) may be: counting a city's
# hundred thousand applications on every visit to the queue cost more than the page itself.
STATUS_COUNTS_SECONDS = 30
# How long a new sister city or a newly spoken language may take to become a filter choice.
FILTER_SECONDS = 300


def counts_by_status() -> dict[str, int]:
    # Count("*"), not Count("pk"): the status index alone answers it.
    return dict(DiplomatApplication.objects.values_list("status").annotate(n=Count("*")))


class ApplicationQueue(ChangeList):
    """The review queue's page: only what its rows show is read of each application."""

    ROW_FIELDS = [
        "status",
        "full_name_fa",
        "full_name_latin",
        "fields_of_expertise",
        "hours_per_month",
        "submitted_at",
        "public_id",
        "photo",
        "user__email",
    ]

    def get_results(self, request):
        # Not in get_queryset: the actions read the selected applications whole from it.
        self.queryset = self.queryset.only(*self.ROW_FIELDS)
        super().get_results(request)


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits for staff, the submitted applications; every status, and
    all of them together, one click away; a search looks through all. Same parameter as the
    admin's own status filter, so the addresses staff kept still work."""

    title = gettext_lazy("status")
    parameter_name = "status__exact"
    WAITING = DiplomatApplication.Status.SUBMITTED.value
    EVERY = "all"

    def lookups(self, request, model_admin):
        return [
            (self.EVERY, pgettext_lazy("applications of every status", "All")),
            *DiplomatApplication.Status.choices,
        ]

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        # A search for someone looks through every status unless one is chosen.
        self.default = self.EVERY if request.GET.get(SEARCH_VAR) else self.WAITING

    def value(self):
        return super().value() or self.default

    def queryset(self, request, queryset):
        if self.value() == self.EVERY:
            return queryset
        if self.value() not in DiplomatApplication.Status.values:
            return queryset.none()  # no such status: nothing, rather than a query that fails
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        # No "All" that drops the parameter: without it the queue shows the waiting ones.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class FieldOfExpertiseFilter(admin.SimpleListFilter):
    title = gettext_lazy("field of expertise")
    parameter_name = "field"

    def lookups(self, request, model_admin):
        return CooperationField.choices

    def queryset(self, request, queryset):
        if self.value() in CooperationField.values:
            return queryset.filter(fields_of_expertise__contains=[self.value()])
        return queryset


class PreferredCityFilter(admin.SimpleListFilter):
    """Every sister city, not only those someone preferred: finding those read every
    application's preferences on each page of the queue."""

    title = gettext_lazy("preferred sister cities")
    parameter_name = "preferred_cities__id__exact"

    def lookups(self, request, model_admin):
        language = get_language()
        return cache.get_or_set(
            f"review-queue-cities:{language}", partial(_sister_cities, language), FILTER_SECONDS
        )

    def queryset(self, request, queryset):
        value = self.value() or ""
        # ASCII digits only: "²" is a digit to isdigit(), not to the database.
        if value.isascii() and value.isdigit():
            return queryset.filter(preferred_cities__id=value)
        return queryset


def _sister_cities(language: str) -> list[tuple[str, str]]:
    name = "name_fa" if language == "fa" else "name_en"
    cities = apps.get_model("sistercities", "SisterCity").objects.order_by(name, "pk")
    return [(str(pk), city) for pk, city in cities.values_list("pk", name)]


class LanguageFilter(admin.SimpleListFilter):
    title = gettext_lazy("language spoken")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        names = dict(LanguageSkill.LANGUAGE_CHOICES)
        spoken = cache.get_or_set("review-queue-languages", _languages_spoken, FILTER_SECONDS)
        return sorted(((code, names.get(code, code)) for code in spoken), key=lambda c: str(c[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(languages__language=self.value())
        return queryset


def _languages_spoken() -> list[str]:
    """The languages anyone speaks, each found with one step down the language index (a
    "loose index scan"): SELECT DISTINCT read every language skill of every applicant."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE spoken AS (
                SELECT min(language) AS language FROM citizens_languageskill
                UNION ALL
                SELECT (SELECT min(language) FROM citizens_languageskill
                        WHERE language > spoken.language)
                FROM spoken WHERE spoken.language IS NOT NULL
            )
            SELECT language FROM spoken WHERE language IS NOT NULL
            """
        )
        return [language for (language,) in cursor.fetchall()]
