"""Demo applications for `manage.py load_demo`: the demo diplomat's approved application and a
small queue for the municipal staff to review. Created through the services, so each has its
history; an application that exists already is left as it is."""

import datetime
import io

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from PIL import Image

from citizens.models import DiplomatApplication, LanguageSkill, User
from citizens.services import applications as services

# e-mail, first, last, name in Persian, born, status, fields, cities, (language, level)...
DEMO_APPLICATIONS = [
    (
        "diplomat@example.org",
        "Reza",
        "Karimi",
        "رضا کریمی",
        datetime.date(1984, 3, 2),
        "approved",
        ["economic", "technology"],
        ["kuala-lumpur", "kazan"],
        [("en", "fluent"), ("ru", "intermediate")],
    ),
    (
        "leila.navabi@example.org",
        "Leila",
        "Navabi",
        "لیلا نوابی",
        datetime.date(1991, 9, 14),
        "submitted",
        ["cultural", "handicrafts"],
        ["florence", "porto"],
        [("it", "intermediate"), ("en", "fluent")],
    ),
    (
        "omid.tehrani@example.org",
        "Omid",
        "Tehrani",
        "امید تهرانی",
        datetime.date(1979, 1, 30),
        "submitted",
        ["scientific", "education"],
        ["iasi", "freiburg-im-breisgau"],
        [("de", "fluent"), ("en", "intermediate")],
    ),
    (
        "parisa.jafari@example.org",
        "Parisa",
        "Jafari",
        "پریسا جعفری",
        datetime.date(1996, 6, 5),
        "needs_changes",
        ["tourism"],
        ["samarkand"],
        [("uz", "basic"), ("en", "fluent")],
    ),
]

MOTIVATION = (
    "I have worked with partners from this city for years and would like to help the two "
    "cities meet again: in the bazaar, the university and the city council."
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (40, 90, 140)).save(buffer, "JPEG")
    return buffer.getvalue()


def load_demo_applications(*, reviewer: User) -> None:
    for email, first, last, name_fa, born, status, fields, cities, languages in DEMO_APPLICATIONS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if DiplomatApplication.objects.filter(user=user).exists():
            continue
        application = DiplomatApplication.objects.create(
            user=user,
            full_name_fa=name_fa,
            full_name_latin=f"{first} {last}",
            date_of_birth=born,
            phone="09131234567",
            district=5,
            occupation="Consultant",
            education="master",
            fields_of_expertise=fields,
            motivation=MOTIVATION,
            hours_per_month=10,
            cv=ContentFile(PDF, "cv.pdf"),
            photo=ContentFile(_photo(), "photo.jpg"),
        )
        cities = application.preferred_cities.model.objects.filter(slug__in=cities)
        application.preferred_cities.set(cities)
        LanguageSkill.objects.bulk_create(
            LanguageSkill(application=application, language=code, level=level)
            for code, level in languages
        )
        application = services.submit_application(application=application, actor=user)
        decision = {"approved": "approve", "needs_changes": "request_changes"}.get(status)
        if decision:
            services.decide_application(
                application=application,
                reviewer=reviewer,
                decision=decision,
                note="Please add a recent photo." if decision == "request_changes" else "",
            )
