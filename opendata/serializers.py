"""What the API says of each thing: public facts only, both languages' names, links.

Nothing here names a person: no member, coordinator, organiser or invitee, no e-mail address,
no application, no proposal's author, supporter, note to the author or attachment
(tests/opendata/test_privacy.py walks every field of the schema to prove it). An agreement's
signatories are the exception the agreement itself makes public: who signed for each city.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from diplomacy_portal.vocabulary import CooperationField
from initiatives.models import Initiative, Meeting
from proposals.models import BudgetRange, Partner, Proposal
from sistercities.models import Agreement, SisterCity
from sistercities.selectors.health import ALIVE, FADING, QUIET, SUSPENDED

HEALTH = [ALIVE, QUIET, FADING, SUSPENDED]


class CityLinkSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="opendata:api-city-detail", lookup_field="slug"
    )

    class Meta:
        model = SisterCity
        fields = ["id", "slug", "name_en", "name_fa", "api_url"]


class InitiativeLinkSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="opendata:api-initiative-detail", lookup_field="slug"
    )

    class Meta:
        model = Initiative
        fields = ["id", "slug", "title_en", "title_fa", "api_url"]


def _page_url(serializer, obj) -> str:
    return serializer.context["request"].build_absolute_uri(obj.get_absolute_url())


class CitySerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="opendata:api-city-detail", lookup_field="slug"
    )
    url = serializers.SerializerMethodField(help_text="The city's page on the portal.")
    since = serializers.IntegerField(
        source="established_year", allow_null=True, help_text="Year the relation started."
    )
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    cooperation_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=CooperationField.choices)
    )
    health = serializers.ChoiceField(
        source="figures.health",
        choices=HEALTH,
        help_text="Derived from real activity: meetings held, initiatives, contacts logged.",
    )
    last_activity = serializers.DateField(source="figures.last_activity", allow_null=True)
    initiatives_url = serializers.SerializerMethodField(
        help_text="The city's initiatives in this API."
    )
    agreements_url = serializers.SerializerMethodField(
        help_text="The city's public agreements in this API."
    )

    class Meta:
        model = SisterCity
        fields = [
            "id",
            "slug",
            "name_en",
            "name_fa",
            "country_en",
            "country_fa",
            "country_code",
            "since",
            "status",
            "latitude",
            "longitude",
            "cooperation_fields",
            "description_en",
            "description_fa",
            "health",
            "last_activity",
            "url",
            "api_url",
            "initiatives_url",
            "agreements_url",
        ]

    def get_url(self, city) -> str:
        return _page_url(self, city)

    def get_initiatives_url(self, city) -> str:
        return _list_url(self, "opendata:api-initiative-list", city=city.slug)

    def get_agreements_url(self, city) -> str:
        return _list_url(self, "opendata:api-agreement-list", city=city.slug)


def _list_url(serializer, name: str, **query) -> str:
    return serializer.context["request"].build_absolute_uri(f"{reverse(name)}?{urlencode(query)}")


class InitiativeSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="opendata:api-initiative-detail", lookup_field="slug"
    )
    url = serializers.SerializerMethodField(help_text="The initiative's page on the portal.")
    cities = CityLinkSerializer(many=True)
    member_count = serializers.IntegerField(
        source="members_count", help_text="Accepted members; who they are is not published."
    )
    meetings_url = serializers.SerializerMethodField(
        help_text="The initiative's public meetings in this API."
    )

    class Meta:
        model = Initiative
        fields = [
            "id",
            "slug",
            "title_en",
            "title_fa",
            "description_en",
            "description_fa",
            "field",
            "status",
            "starts_on",
            "ends_on",
            "member_count",
            "cities",
            "url",
            "api_url",
            "meetings_url",
        ]

    def get_url(self, initiative) -> str:
        return _page_url(self, initiative)

    def get_meetings_url(self, initiative) -> str:
        return _list_url(self, "opendata:api-meeting-list", initiative=initiative.slug)


class MeetingSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="opendata:api-meeting-detail")
    initiative = InitiativeLinkSerializer(allow_null=True)
    city = CityLinkSerializer(allow_null=True)
    starts_at = serializers.SerializerMethodField(
        help_text="ISO 8601 with the offset of the meeting's time zone."
    )
    ends_at = serializers.SerializerMethodField(
        help_text="ISO 8601 with the offset of the meeting's time zone."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "timezone",
            "place",
            "agenda",
            "initiative",
            "city",
            "api_url",
        ]

    def get_starts_at(self, meeting) -> str:
        return meeting.starts_at.astimezone(meeting.zone).isoformat()

    def get_ends_at(self, meeting) -> str:
        return meeting.ends_at.astimezone(meeting.zone).isoformat()


class AgreementSerializer(serializers.ModelSerializer):
    """An agreement of selectors.public_agreements (its `state` annotated)."""

    api_url = serializers.HyperlinkedIdentityField(view_name="opendata:api-agreement-detail")
    city = CityLinkSerializer()
    status = serializers.ChoiceField(
        source="state",
        choices=Agreement.Status.choices,
        help_text="Today's: the one staff set (superseded), else the one the dates give.",
    )
    document_url = serializers.SerializerMethodField(
        help_text="The signed document (PDF), only where it is published; else null."
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title_en",
            "title_fa",
            "kind",
            "signed_on",
            "valid_until",
            "status",
            "signatories",
            "city",
            "document_url",
            "api_url",
        ]

    def get_document_url(self, agreement) -> str | None:
        if not agreement.downloadable_by_anyone:
            return None
        return self.context["request"].build_absolute_uri(agreement.get_document_url())


class ProposalSerializer(serializers.ModelSerializer):
    """An accepted proposal as its author wrote it (in whichever language), with the decision."""

    api_url = serializers.HyperlinkedIdentityField(view_name="opendata:api-proposal-detail")
    url = serializers.SerializerMethodField(help_text="The proposal's page on the portal.")
    cities = CityLinkSerializer(many=True)
    partners = serializers.ListField(child=serializers.ChoiceField(choices=Partner.choices))
    budget = serializers.ChoiceField(choices=BudgetRange.choices)
    decided_on = serializers.SerializerMethodField(help_text="The day it was accepted, if known.")
    support_count = serializers.IntegerField(
        source="supports_count", help_text="Diplomats who supported it; who they are is not."
    )
    initiative = InitiativeLinkSerializer(
        allow_null=True, help_text="The initiative it became, if any."
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "summary",
            "achieves",
            "needs_people",
            "budget",
            "partners",
            "field",
            "status",
            "decided_on",
            "support_count",
            "cities",
            "initiative",
            "url",
            "api_url",
        ]

    def get_url(self, proposal) -> str:
        return _page_url(self, proposal)

    def get_decided_on(self, proposal) -> datetime.date | None:
        if proposal.decided_at is None:
            return None
        return timezone.localdate(proposal.decided_at)


class FiguresSerializer(serializers.Serializer):
    cities = serializers.IntegerField()
    cities_by_status = serializers.DictField(child=serializers.IntegerField())
    initiatives = serializers.IntegerField()
    initiatives_by_status = serializers.DictField(child=serializers.IntegerField())
    active_initiatives_by_field = serializers.DictField(child=serializers.IntegerField())
    upcoming_public_meetings = serializers.IntegerField()


class DashboardCitySerializer(serializers.ModelSerializer):
    """A city's row of /dashboard/'s health table."""

    api_url = serializers.HyperlinkedIdentityField(
        view_name="opendata:api-city-detail", lookup_field="slug"
    )
    health = serializers.ChoiceField(source="figures.health", choices=HEALTH)
    last_activity = serializers.DateField(source="figures.last_activity", allow_null=True)
    days_since_activity = serializers.IntegerField(
        source="figures.days_since_activity", allow_null=True
    )
    active_initiatives = serializers.IntegerField(source="figures.active_initiatives")
    engaged_diplomats = serializers.IntegerField(
        source="figures.engaged_diplomats", help_text="A number; never who they are."
    )
    meetings_last_year = serializers.IntegerField(source="figures.meetings_last_year")
    is_fading = serializers.BooleanField(source="figures.is_fading")
    fading_since = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = SisterCity
        fields = [
            "id",
            "slug",
            "name_en",
            "name_fa",
            "status",
            "health",
            "last_activity",
            "days_since_activity",
            "active_initiatives",
            "engaged_diplomats",
            "meetings_last_year",
            "is_fading",
            "fading_since",
            "api_url",
        ]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the reader's language.")
