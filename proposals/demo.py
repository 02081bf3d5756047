"""Demo proposals for `manage.py load_demo`, one at every stage, in both languages; loading
twice changes nothing."""

from allauth.account.models import EmailAddress
from django.utils import timezone

from citizens.models import User
from sistercities.models import SisterCity

from . import services
from .models import Proposal

# Two more diplomats, so that proposals have several authors and supporters.
DEMO_AUTHORS = [
    ("shirin.rahmani@example.org", "Shirin", "Rahmani", "fa"),
    ("kaveh.sadeghi@example.org", "Kaveh", "Sadeghi", "en"),
]
REZA, SHIRIN, KAVEH = "diplomat@example.org", DEMO_AUTHORS[0][0], DEMO_AUTHORS[1][0]

# (title, author, status, field, city slugs, summary, what it achieves, budget, partners,
#  note to the author, supporters)
DEMO_PROPOSALS = [
    (
        "Start-up exchange with Kuala Lumpur",
        REZA,
        "draft",
        "technology",
        ["kuala-lumpur"],
        "Demo: five young companies from Isfahan's science park spend a month in Kuala Lumpur.",
        "Two joint products and a yearly start-up week in each city.",
        "medium",
        ["university", "businesses"],
        "",
        [],
    ),
    (
        "نمایشگاه مشترک فرش اصفهان و کازان",
        SHIRIN,
        "submitted",
        "handicrafts",
        ["kazan"],
        "نمونه: نمایشگاهی از فرش‌های دست‌باف اصفهان و گلیم‌های تاتارستان، یک ماه در هر شهر.",
        "آشنایی بازار کازان با فرش اصفهان و سفارش‌های تازه برای بافندگان.",
        "small",
        ["chamber", "cultural"],
        "",
        [REZA, KAVEH],
    ),
    (
        "Student exchange with Iași's university",
        KAVEH,
        "changes_requested",
        "education",
        ["iasi"],
        "Demo: ten engineering students a year spend a semester at the partner university.",
        "A lasting agreement between the two universities.",
        "medium",
        ["university"],
        "Please say who would host the students and how they would be insured.",
        [SHIRIN],
    ),
    (
        "کارگاه‌های خوشنویسی در فلورانس",
        REZA,
        "accepted",
        "cultural",
        ["florence"],
        "نمونه: خوشنویسان اصفهان در موزه‌های فلورانس کارگاه برگزار می‌کنند و هنرمندان فلورانس "
        "به اصفهان می‌آیند.",
        "دو کارگاه در سال و یک نمایشگاه مشترک.",
        "small",
        ["cultural", "schools"],
        "",
        [SHIRIN, KAVEH],
    ),
    (
        "Cycling lanes study with Freiburg",
        SHIRIN,
        "accepted",
        "environment",
        ["freiburg-im-breisgau"],
        "Demo: Freiburg's planners and Isfahan's traffic office study three cycling routes.",
        "A plan for three routes along the Zayandeh Rud.",
        "large",
        ["university", "ngos"],
        "",
        [],
    ),
    (
        "A new airline route to Samarkand",
        KAVEH,
        "declined",
        "tourism",
        ["samarkand"],
        "Demo: the city asks airlines for a direct flight between Isfahan and Samarkand.",
        "More visitors along the Silk Road route.",
        "large",
        ["businesses", "chamber"],
        "Air routes are decided by the airlines and the national authority, not the city.",
        [],
    ),
    (
        "جشنوارهٔ غذای خیابانی با پورتو",
        KAVEH,
        "withdrawn",
        "tourism",
        ["porto"],
        "نمونه: جشنواره‌ای از غذاهای خیابانی اصفهان و پورتو در میدان نقش جهان.",
        "آشنایی مردم دو شهر با آشپزی یکدیگر.",
        "small",
        ["businesses"],
        "",
        [],
    ),
]
# The accepted proposal that became an initiative: (its title, the initiative's slug, titles).
DEMO_INITIATIVE = (
    "کارگاه‌های خوشنویسی در فلورانس",
    "florence-calligraphy-workshops",
    "Calligraphy workshops in Florence",
    "کارگاه‌های خوشنویسی در فلورانس",
)


def _author(email: str, first: str, last: str, language: str) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first,
            "last_name": last,
            "preferred_language": language,
            "diplomat_since": timezone.now(),
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def load_demo_proposals(*, reviewer: User, coordinator: User) -> None:
    """Proposals at every stage, some supported, one turned into an initiative."""
    for row in DEMO_AUTHORS:
        _author(*row)
    for (
        title,
        author,
        status,
        field,
        cities,
        summary,
        achieves,
        budget,
        partners,
        note,
        fans,
    ) in DEMO_PROPOSALS:
        if Proposal.objects.filter(title=title).exists():
            continue
        proposal = Proposal.objects.create(
            title=title,
            author=User.objects.get(email=author),
            field=field,
            summary=summary,
            achieves=achieves,
            budget=budget,
            partners=partners,
        )
        proposal.cities.set(SisterCity.objects.filter(slug__in=cities))
        _bring_to(proposal, status, reviewer=reviewer, note=note, supporters=fans)
    title, slug, title_en, title_fa = DEMO_INITIATIVE
    proposal = Proposal.objects.get(title=title)
    if proposal.initiative_id is None:
        services.turn_into_initiative(
            proposal=proposal,
            actor=reviewer,
            slug=slug,
            title_en=title_en,
            title_fa=title_fa,
            coordinator=coordinator,
        )


def _bring_to(
    proposal: Proposal, status: str, *, reviewer: User, note: str, supporters: list[str]
) -> None:
    author = proposal.author
    if status == "draft":
        return
    if status == "withdrawn":
        services.withdraw_proposal(proposal=proposal, actor=author)
        return
    proposal = services.submit_proposal(proposal=proposal, actor=author)
    # Support comes while the staff consider it, before their decision.
    for email in supporters:
        services.support_proposal(proposal=proposal, user=User.objects.get(email=email))
    decision = {"accepted": "accept", "declined": "decline", "changes_requested": "request_changes"}
    if status in decision:
        services.decide_proposal(
            proposal=proposal, reviewer=reviewer, decision=decision[status], note=note
        )
