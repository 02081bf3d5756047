from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from citizens.models import User
from sistercities.models import SisterCity


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """A verified primary address, as allauth requires for signing in (verified=False: not)."""
        if create:
            EmailAddress.objects.create(
                user=user, email=user.email, primary=True, verified=extracted is not False
            )
            user.save()

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(*Group.objects.filter(name__in=extracted))


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
