"""Starting and changing initiatives in the portal; every change is recorded once."""

import datetime
import re

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from slugify import slugify

from citizens.models import User

from ..access import can_manage_initiative, is_coordinator, sees_all
from ..models import Initiative, InitiativeChange
from . import InitiativeError

# What an initiative's page in the portal may change; the coordinator is decided by staff.
DETAILS = (
    "slug",
    "title_en",
    "title_fa",
    "field",
    "status",
    "starts_on",
    "ends_on",
    "description_en",
    "description_fa",
)
SLUG_LENGTH = Initiative.slug.field.max_length
# Addresses the portal's own pages use under /initiatives/.
RESERVED_SLUGS = {"new"}


def _cities_model():
    # Through the initiative's own relation: the sister cities' app builds on this one.
    return Initiative.cities.field.related_model


def slug_taken(slug: str, *, initiative: Initiative | None = None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    others = Initiative.objects.filter(slug=slug)
    if initiative is not None:
        others = others.exclude(pk=initiative.pk)
    return others.exists()


def suggest_slug(*, title_en: str, title_fa: str, initiative: Initiative | None = None) -> str:
    """An unused address made from the English title, else the Persian one written in Latin
    letters; `initiative-N` when neither gives one."""
    base = slugify(title_en or title_fa, max_length=SLUG_LENGTH - 6, word_boundary=True)
    if not base:
        base = f"initiative-{Initiative.objects.count() + 1}"
    # One query for every address the base may collide with, however many share a title.
    taken = Initiative.objects.filter(slug__startswith=base)
    if initiative is not None:
        taken = taken.exclude(pk=initiative.pk)
    taken = {*taken.values_list("slug", flat=True), *RESERVED_SLUGS}
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def initiative_problems(
    *,
    slug: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    cities: list[Model],
    initiative: Initiative | None = None,
) -> list[tuple[str, str]]:
    """What is wrong with an initiative's details, as (field, message); empty when all is well."""
    problems = []
    if slug and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        problems.append(
            ("slug", _("Use lower-case Latin letters, digits and single hyphens only."))
        )
    elif slug and slug_taken(slug, initiative=initiative):
        problems.append(("slug", _("Another initiative has this address already.")))
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(("ends_on", _("The initiative cannot end before it starts.")))
    if not cities:
        problems.append(("cities", _("Choose at least one sister city.")))
    kept = set(initiative.cities.values_list("pk", flat=True)) if initiative else set()
    suspended = _cities_model().Status.SUSPENDED
    for city in cities:
        # A city that was suspended after the initiative began stays on it; no new one joins.
        if city.status == suspended and city.pk not in kept:
            problems.append(
                (
                    "cities",
                    _(
                        "The relation with %(city)s is suspended: no initiative can be started "
                        "with it until it is resumed."
                    )
                    % {"city": city.name},
                )
            )
    return problems


def _check(details: dict, cities: list[Model], initiative: Initiative | None) -> None:
    problems = initiative_problems(
        slug=details["slug"],
        starts_on=details.get("starts_on"),
        ends_on=details.get("ends_on"),
        cities=cities,
        initiative=initiative,
    )
    if problems:
        raise InitiativeError(problems[0][1])


def _checked_details(details: dict) -> dict:
    unknown = set(details) - set(DETAILS)
    if unknown:
        raise TypeError(f"Unknown initiative details: {', '.join(sorted(unknown))}")
    return details


def _save(initiative: Initiative) -> None:
    # Two people choosing the same address at the same moment: the unique index decides.
    try:
        with transaction.atomic():
            initiative.save()
    except IntegrityError:
        raise InitiativeError(_("Another initiative has this address already.")) from None


@transaction.atomic
def create_initiative(*, actor: User, cities: list[Model], details: dict) -> Initiative:
    """Start an initiative; a coordinator who starts one coordinates it."""
    if not (sees_all(actor) or is_coordinator(actor)):
        raise InitiativeError(_("You may not start initiatives."))
    details = dict(_checked_details(details))
    if not details.get("slug"):
        details["slug"] = suggest_slug(title_en=details["title_en"], title_fa=details["title_fa"])
    _check(details, cities, None)
    initiative = Initiative(coordinator=actor if is_coordinator(actor) else None, **details)
    _save(initiative)
    initiative.cities.set(cities)
    changes = {name: ["", as_text(value)] for name, value in details.items() if value}
    changes["cities"] = ["", _city_slugs(cities)]
    record_change(initiative=initiative, actor=actor, created=True, changes=changes)
    return initiative


@transaction.atomic
def update_initiative(
    *, initiative: Initiative, actor: User, cities: list[Model], details: dict
) -> Initiative:
    """Change an initiative's details; nothing is recorded when nothing changed."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not can_manage_initiative(actor, initiative):
        raise InitiativeError(_("You do not coordinate this initiative."))
    details = dict(_checked_details(details))
    if not details.get("slug"):
        details["slug"] = initiative.slug
    _check(details, cities, initiative)
    changes = {
        name: [as_text(getattr(initiative, name)), as_text(value)]
        for name, value in details.items()
        if value != getattr(initiative, name)
    }
    before = _city_slugs(initiative.cities.all())
    after = _city_slugs(cities)
    if before != after:
        changes["cities"] = [before, after]
    if not changes:
        return initiative
    for name, value in details.items():
        setattr(initiative, name, value)
    _save(initiative)
    initiative.cities.set(cities)
    record_change(initiative=initiative, actor=actor, created=False, changes=changes)
    return initiative


def record_change(
    *, initiative: Initiative, actor: User, created: bool, changes: dict
) -> InitiativeChange:
    """Record a change of an initiative made here or in the admin: {field: [old, new]}."""
    action = InitiativeChange.Action.CREATED if created else InitiativeChange.Action.CHANGED
    return InitiativeChange.objects.create(
        initiative=initiative, actor=actor, action=action, changes=changes
    )


def as_text(value) -> str:
    """A field's value as the history keeps it: dates as ISO, cities by slug, people by number
    (an address would outlive the deletion of their account)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Model):
        return str(value.pk)
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return _city_slugs(value)
    return str(value)


def _city_slugs(cities) -> str:
    return ", ".join(sorted(city.slug for city in cities))
