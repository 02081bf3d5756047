import datetime
import io
from decimal import Decimal

import factory
import pikepdf
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image

from citizens.models import DiplomatApplication, LanguageSkill, User
from citizens.roles import MUNICIPAL_STAFF, is_privileged
from sistercities.models import SisterCity

FIRST_NAMES = [
    "Sara",
    "Reza",
    "Maryam",
    "Ali",
    "Neda",
    "Hossein",
    "Leila",
    "Omid",
    "Parisa",
    "Kian",
]
LAST_NAMES = [
    "Ahmadi",
    "Karimi",
    "Rahimi",
    "Moradi",
    "Hosseini",
    "Jafari",
    "Sadeghi",
    "Tehrani",
    "Rostami",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Names from a fixed list, not Faker's: a generated surname such as "English" or "City"
    # would read as untranslated text on a Persian page.
    first_name = factory.Iterator(FIRST_NAMES)
    last_name = factory.Iterator(LAST_NAMES)
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """A verified primary address, as allauth requires for signing in (verified=False: not)."""
        if create:
            EmailAddress.objects.get_or_create(
                user=user,
                email=user.email,
                defaults={"primary": True, "verified": extracted is not False},
            )
            user.save()

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(*Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        """Two-factor authentication set up with TOTP_SECRET; privileged users have it unless
        totp=False."""
        wanted = extracted if extracted is not None else is_privileged(user)
        if create and wanted and not user.authenticator_set.filter(type="totp").exists():
            TOTP.activate(user, TOTP_SECRET)


TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The authenticator app's current code for `secret`."""
    counter = next(yield_hotp_counters_from_time()) + app_settings.TOTP_TOLERANCE
    return format_hotp_value(hotp_value(secret, counter))


class SisterCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SisterCity
        django_get_or_create = ["slug"]

    name_en = factory.Sequence(lambda n: f"Town {n}")
    name_fa = factory.Sequence(lambda n: f"شهر {n}")
    slug = factory.LazyAttribute(lambda city: city.name_en.lower().replace(" ", "-"))
    country_en = "Italy"
    country_fa = "ایتالیا"
    country_code = "IT"
    established_year = 2000
    latitude = Decimal("43.77900")
    longitude = Decimal("11.24600")


def pdf_bytes() -> bytes:
    """A small, valid PDF document: one blank page."""
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, image_format)
    return buffer.getvalue()


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft, ready to submit."""

    class Meta:
        model = DiplomatApplication
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    full_name_fa = "سارا احمدی"
    full_name_latin = "Sara Ahmadi"
    date_of_birth = datetime.date(1990, 5, 1)
    phone = "09131234567"
    district = 3
    occupation = "Architect"
    education = "master"
    fields_of_expertise = ["cultural", "urban"]
    motivation = "I restore historic houses and would like to work with Florence's craftspeople."
    hours_per_month = 12
    cv = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), "cv.pdf"))
    photo = factory.LazyFunction(lambda: ContentFile(image_bytes(), "photo.png"))

    @factory.post_generation
    def languages(application, create, extracted, **kwargs):
        if create:
            for code, level in extracted or [("en", "fluent"), ("it", "basic")]:
                LanguageSkill.objects.create(application=application, language=code, level=level)

    @factory.post_generation
    def preferred_cities(application, create, extracted, **kwargs):
        if create:
            application.preferred_cities.set(extracted or [SisterCityFactory(name_en="Florence")])


def reviewer(email: str = "reviewer@example.org") -> User:
    """A member of the municipal staff, who may decide applications."""
    return UserFactory(email=email, is_staff=True, roles=[MUNICIPAL_STAFF])


def application_in(status: str, **kwargs) -> DiplomatApplication:
    """An application brought to `status` the way people would: through the services."""
    from citizens.services import applications as services

    application = ApplicationFactory(**kwargs)
    applicant = application.user
    if status == "draft":
        return application
    if status == "withdrawn":
        return services.withdraw_application(application=application, actor=applicant)
    application = services.submit_application(application=application, actor=applicant)
    decision = {"approved": "approve", "rejected": "reject", "needs_changes": "request_changes"}
    if status in decision:
        application = services.decide_application(
            application=application,
            reviewer=reviewer(f"reviewer-{application.pk}@example.org"),
            decision=decision[status],
            note="Please add your second language's level." if status == "needs_changes" else "",
        )
    return application
