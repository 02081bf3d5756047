"""Initiatives, meetings and the people around them, for tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from citizens.roles import INITIATIVE_COORDINATORS, MUNICIPAL_STAFF
from initiatives.models import Initiative, Invitation, Meeting, Membership
from tests.factories import SisterCityFactory, UserFactory


def diplomat(email: str | None = None, **fields):
    """A citizen diplomat (their application approved some time ago)."""
    if email:
        fields["email"] = email
    return UserFactory(diplomat_since=timezone.now() - timedelta(days=30), **fields)


def coordinator(email: str = "neda@example.org", **fields):
    """An initiative coordinator, who may use the admin."""
    return UserFactory(email=email, is_staff=True, roles=[INITIATIVE_COORDINATORS], **fields)


def staff(email: str = "maryam@example.org"):
    return UserFactory(email=email, is_staff=True, roles=[MUNICIPAL_STAFF])


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Crafts exchange {n}")
    title_fa = factory.Sequence(lambda n: f"تبادل صنایع دستی {n}")
    slug = factory.Sequence(lambda n: f"crafts-exchange-{n}")
    description_en = "Isfahan's and Florence's craftspeople learn from each other."
    description_fa = "هنرمندان اصفهان و فلورانس از یکدیگر می‌آموزند."
    field = "handicrafts"
    status = Initiative.Status.ACTIVE
    coordinator = factory.Sequence(lambda n: coordinator(f"coordinator{n}@example.org"))

    @factory.post_generation
    def cities(initiative, create, extracted, **kwargs):
        if create:
            initiative.cities.set(extracted or [SisterCityFactory(name_en="Florence")])


def member(initiative, user=None, state=Membership.State.ACCEPTED) -> Membership:
    return Membership.objects.create(initiative=initiative, user=user or diplomat(), state=state)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Board meeting {n}")
    kind = Meeting.Kind.BOARD
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + timedelta(hours=2))
    place = "City hall, Naqsh-e Jahan square"
    agenda = "1. The exchange programme\n2. Next steps"


def invitation(meeting, user=None, state=Invitation.State.SENT, **fields) -> Invitation:
    """An invitation already delivered (or in `state`), as if the fan-out had run."""
    if state != Invitation.State.PENDING:
        fields.setdefault("sent_at", timezone.now())
        fields.setdefault("sequence_sent", meeting.sequence)
    return Invitation.objects.create(
        meeting=meeting, invitee=user or diplomat(), state=state, **fields
    )
