"""Demo initiatives and meetings for `manage.py load_demo`; loading twice changes nothing."""

import datetime
from datetime import timedelta

from django.utils import timezone

from citizens.models import User

from .models import CalendarReply, Initiative, Invitation, Meeting, Membership

# slug: (English title, Persian title, field, status, city slugs, English, Persian description)
DEMO_INITIATIVES = {
    "florence-crafts-exchange": (
        "Crafts exchange with Florence",
        "تبادل صنایع دستی با فلورانس",
        "handicrafts",
        Initiative.Status.ACTIVE,
        ["florence"],
        "Demo: Isfahan's miniaturists and Florence's restorers visit each other's workshops.",
        "نمونه: نگارگران اصفهان و مرمت‌گران فلورانس از کارگاه‌های یکدیگر دیدن می‌کنند.",
    ),
    "silk-road-tourism": (
        "Silk Road tourism route",
        "مسیر گردشگری جادهٔ ابریشم",
        "tourism",
        Initiative.Status.ACTIVE,
        ["samarkand", "xi-an"],
        "Demo: a shared route and guide training with Samarkand and Xi'an.",
        "نمونه: مسیر مشترک و آموزش راهنمایان گردشگری با سمرقند و شیان.",
    ),
    "green-city-lab": (
        "Green city lab with Freiburg",
        "آزمایشگاه شهر سبز با فرایبورگ",
        "environment",
        Initiative.Status.PROPOSED,
        ["freiburg-im-breisgau"],
        "Demo: proposed exchange on cycling lanes and river restoration.",
        "نمونه: پیشنهاد تبادل تجربه دربارهٔ مسیرهای دوچرخه و احیای رودخانه.",
    ),
    # Two the demo diplomat has not joined, matching their application (technology and
    # economic; Russian, spoken in Samarkand): their page suggests them. With cities already
    # active in the demo, so that each city's health stays as sistercities/demo.py makes it.
    "xi-an-smart-city": (
        "Smart city exchange with Xi'an",
        "تبادل تجربهٔ شهر هوشمند با شیان",
        "technology",
        Initiative.Status.ACTIVE,
        ["xi-an"],
        "Demo: the two cities' municipal IT teams compare open data and digital services.",
        "نمونه: تیم‌های فناوری اطلاعات دو شهرداری دادهٔ باز و خدمات الکترونیک را مقایسه می‌کنند.",
    ),
    "samarkand-trade-week": (
        "Isfahan trade week in Samarkand",
        "هفتهٔ تجاری اصفهان در سمرقند",
        "economic",
        Initiative.Status.PROPOSED,
        ["samarkand"],
        "Demo: a proposed week for Isfahan's makers and traders in Samarkand's bazaars.",
        "نمونه: پیشنهاد یک هفته حضور تولیدکنندگان و بازرگانان اصفهان در بازارهای سمرقند.",
    ),
}

# The demo diplomat is a member of every active initiative but these, which their page suggests.
SUGGESTED = {"xi-an-smart-city", "samarkand-trade-week"}

# (initiative slug, title, kind, days ahead, hour in Tehran, place)
DEMO_MEETINGS = [
    (
        "florence-crafts-exchange",
        "Demo: board meeting on the crafts exchange",
        Meeting.Kind.BOARD,
        7,
        10,
        "City hall, Naqsh-e Jahan square",
    ),
    (
        "silk-road-tourism",
        "Demo: public evening on the Silk Road route",
        Meeting.Kind.PUBLIC_EVENT,
        14,
        18,
        "Chehel Sotoun garden",
    ),
]


# Diplomats who took part before the portal (no application on file): the crafts exchange's
# members, so its coordinator's desk has something to do. (e-mail, first, last)
DEMO_MEMBERS = [
    ("sara.ahmadi@example.org", "Sara", "Ahmadi"),
    ("babak.rahimi@example.org", "Babak", "Rahimi"),
    ("nasrin.kazemi@example.org", "Nasrin", "Kazemi"),
]
# Asked to join the crafts exchange, waiting for the coordinator's answer.
DEMO_REQUESTER = ("kaveh.moradi@example.org", "Kaveh", "Moradi")
# A workshop visit with one seat: one member has it, two wait for it, the earlier first.
FULL_MEETING = "Demo: visit to a restorer's workshop (one seat)"


def load_demo_initiatives() -> None:
    """A few initiatives run by the demo coordinator, the demo diplomat a member and invited."""
    coordinator = User.objects.get(email="coordinator@example.org")
    diplomat = User.objects.get(email="diplomat@example.org")
    for slug, (
        title_en,
        title_fa,
        field,
        status,
        cities,
        about_en,
        about_fa,
    ) in DEMO_INITIATIVES.items():
        initiative, created = Initiative.objects.get_or_create(
            slug=slug,
            defaults={
                "title_en": title_en,
                "title_fa": title_fa,
                "field": field,
                "status": status,
                "coordinator": coordinator,
                "description_en": about_en,
                "description_fa": about_fa,
            },
        )
        if created:
            initiative.cities.set(initiative.cities.model.objects.filter(slug__in=cities))
        if status == Initiative.Status.ACTIVE and slug not in SUGGESTED:
            Membership.objects.get_or_create(
                initiative=initiative, user=diplomat, defaults={"state": "accepted"}
            )
    today = timezone.localdate()
    for slug, title, kind, days, hour, place in DEMO_MEETINGS:
        starts = datetime.datetime.combine(
            today + timedelta(days=days), datetime.time(hour), timezone.get_current_timezone()
        )
        meeting, _created = Meeting.objects.get_or_create(
            initiative=Initiative.objects.get(slug=slug),
            title=title,
            defaults={
                "kind": kind,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "place": place,
                "organiser": coordinator,
            },
        )
        # Shown as already delivered: loading the demo sends no e-mail.
        Invitation.objects.get_or_create(
            meeting=meeting,
            invitee=diplomat,
            defaults={
                "state": Invitation.State.SENT,
                "sent_at": timezone.now(),
                "sequence_sent": meeting.sequence,
                "invited_by": coordinator,
            },
        )
    _load_full_meeting(coordinator)


def _demo_diplomat(email: str, first: str, last: str) -> User:
    person, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "last_name": last, "diplomat_since": timezone.now()},
    )
    if created:
        person.set_unusable_password()
        person.save(update_fields=["password"])
    return person


def _load_full_meeting(coordinator: User) -> None:
    """The coordinator's desk has a request to answer and a full meeting with a waiting list."""
    crafts = Initiative.objects.get(slug="florence-crafts-exchange")
    members = [_demo_diplomat(*person) for person in DEMO_MEMBERS]
    for person in members:
        Membership.objects.get_or_create(
            initiative=crafts, user=person, defaults={"state": Membership.State.ACCEPTED}
        )
    Membership.objects.get_or_create(
        initiative=crafts,
        user=_demo_diplomat(*DEMO_REQUESTER),
        defaults={"state": Membership.State.REQUESTED},
    )
    starts = datetime.datetime.combine(
        timezone.localdate() + timedelta(days=10),
        datetime.time(11),
        timezone.get_current_timezone(),
    )
    meeting, created = Meeting.objects.get_or_create(
        initiative=crafts,
        title=FULL_MEETING,
        defaults={
            "kind": Meeting.Kind.WORKING_SESSION,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "place": "Workshop by the Khaju bridge",
            "capacity": 1,
            "organiser": coordinator,
        },
    )
    if not created:
        return
    now = timezone.now()
    for n, person in enumerate(members):
        waiting = n > 0
        Invitation.objects.create(
            meeting=meeting,
            invitee=person,
            state=Invitation.State.WAITLISTED if waiting else Invitation.State.ACCEPTED,
            sent_at=now,
            sequence_sent=meeting.sequence,
            invited_by=coordinator,
            responded_at=now - timedelta(days=3 - n),
            waitlisted_at=now - timedelta(days=3 - n) if waiting else None,
        )


def load_demo_calendar_replies() -> None:
    """Answers read from the calendar reply mailbox, for the admin's list: the demo diplomat's
    acceptance of the public event, sent from their calendar program, and the same answer sent
    by a stranger in their name, which changed nothing."""
    from email import message_from_bytes, policy
    from email.utils import make_msgid

    from .services.calendar_replies import calendar_program_reply, receive

    if CalendarReply.objects.exists():
        return
    invitation = (
        Invitation.objects.select_related("meeting", "invitee")
        .filter(invitee__email="diplomat@example.org", meeting__kind=Meeting.Kind.PUBLIC_EVENT)
        .first()
    )
    if invitation is None:
        return
    raw = calendar_program_reply(invitation, "ACCEPTED", comment="See you there.")
    receive(raw)
    forged = message_from_bytes(raw, policy=policy.default)
    forged.replace_header("From", "Someone Else <someone@example.net>")
    forged.replace_header("Message-ID", make_msgid(domain="example.net"))
    receive(forged.as_bytes())
