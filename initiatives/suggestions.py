"""Initiatives a citizen diplomat might join, by what their approved application says: their
fields of expertise, the sister cities they would like to work with, and the languages they
speak where a sister city speaks them. Each suggestion says why it was made."""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, Exists, OuterRef, Q, When
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from citizens.models import DiplomatApplication, LanguageSkill, User
from diplomacy_portal.vocabulary import CooperationField

from .models import Initiative, Membership

SUGGESTIONS = 5

# The languages spoken in the countries of the sister cities (ISO 3166 codes), as the
# application names them (Django's language codes). English is left out where it is not a
# language of the country itself: nearly every applicant speaks it, so it would match everything.
COUNTRY_LANGUAGES = {
    "AM": ["hy", "ru"],
    "CN": ["zh-hans", "zh-hant"],
    "CU": ["es"],
    "DE": ["de"],
    "ES": ["es", "ca"],
    "IT": ["it"],
    "KW": ["ar"],
    "LB": ["ar", "fr"],
    "MY": ["ms", "en"],
    "PK": ["ur", "en"],
    "PT": ["pt", "pt-br"],
    "RO": ["ro"],
    "RU": ["ru", "tt"],
    "SN": ["fr"],
    "UZ": ["uz", "ru"],
}


def countries_speaking(languages: set[str]) -> set[str]:
    return {country for country, spoken in COUNTRY_LANGUAGES.items() if languages & set(spoken)}


@dataclass
class Suggestion:
    initiative: Initiative
    reasons: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        """The reasons in one line: "matches your field: culture; works with Kuala Lumpur"."""
        return pgettext("between the reasons of a suggestion", "; ").join(self.reasons)


def suggested_initiatives(user: User, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Open initiatives `user` has not joined or asked to join that match their application,
    best match first (two queries, however many initiatives there are)."""
    preferred = DiplomatApplication.preferred_cities.through.objects.filter(
        diplomatapplication_id=OuterRef("pk")
    )
    application = (
        DiplomatApplication.objects.filter(user=user, status=DiplomatApplication.Status.APPROVED)
        .annotate(
            city_ids=ArraySubquery(preferred.values("sistercity_id")),
            spoken=ArraySubquery(
                LanguageSkill.objects.filter(application_id=OuterRef("pk")).values("language")
            ),
        )
        .only("fields_of_expertise")
        .first()
    )
    if application is None:
        return []
    fields = set(application.fields_of_expertise)
    cities = set(application.city_ids)
    spoken = set(application.spoken)
    countries = countries_speaking(spoken)
    if not (fields or cities or countries):
        return []
    # Subqueries per initiative, so no join with its cities multiplies the rows; a match on a
    # preferred city counts most, then the field, then a language.
    cities_of = Initiative.cities.through.objects.filter(initiative_id=OuterRef("pk"))
    matches = []
    if cities:
        matches.append((Exists(cities_of.filter(sistercity_id__in=cities)), 4))
    if fields:
        matches.append((Q(field__in=fields), 2))
    if countries:
        matches.append((Exists(cities_of.filter(sistercity__country_code__in=countries)), 1))
    joined = Membership.objects.filter(initiative_id=OuterRef("pk"), user=user)
    candidates = (
        Initiative.objects.exclude(status=Initiative.Status.COMPLETED)
        .exclude(Exists(joined))
        .filter(reduce(operator.or_, (Q(match) for match, _weight in matches)))
        .annotate(score=sum(Case(When(match, then=weight), default=0) for match, weight in matches))
        .prefetch_related("cities")
        .order_by("-score", "title_en", "pk")[:limit]
    )
    return [
        Suggestion(initiative, _reasons(initiative, fields, cities, spoken))
        for initiative in candidates
    ]


def _reasons(initiative: Initiative, fields: set, cities: set, spoken: set) -> list[str]:
    reasons = []
    if initiative.field in fields:
        reasons.append(
            _("matches your field: %(field)s")
            % {"field": CooperationField(initiative.field).label.lower()}
        )
    names = dict(LanguageSkill.LANGUAGE_CHOICES)
    for city in initiative.cities.all():
        shared = [code for code in COUNTRY_LANGUAGES.get(city.country_code, []) if code in spoken]
        if city.pk in cities:
            reasons.append(_("works with %(city)s") % {"city": city.name})
        elif shared:
            reasons.append(
                _("works with %(city)s, where %(language)s is spoken")
                % {"city": city.name, "language": names[shared[0]]}
            )
    return reasons
