"""The open data API (read-only, /api/v1/) and the page where staff and officials manage their
personal tokens (/me/api-tokens/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from diplomacy_portal.vocabulary import CooperationField
from initiatives.models import Initiative
from sistercities.models import Agreement, SisterCity

from . import docs, selectors, serializers, services
from .conditional import ConditionalMixin
from .forms import (
    AgreementFilterForm,
    ApiTokenForm,
    CityFilterForm,
    InitiativeApiFilterForm,
    MeetingFilterForm,
    ProposalFilterForm,
)
from .models import ApiToken
from .permissions import DashboardToken


class Pages(CursorPagination):
    page_size = 50


class BySlug(Pages):
    # Unique and never changed by the portal: a cursor stays valid while the data changes.
    ordering = "slug"


class ByStart(Pages):
    ordering = ("starts_at", "id")


class ById(Pages):
    # The order they were recorded in: unique, and a new record comes last, so a client
    # reading page after page misses none added meanwhile.
    ordering = "id"


def _filters(form_class, request) -> dict:
    """The list's filters from the query string; a bad one answers 400 with its message."""
    form = form_class(request.query_params)
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise ValidationError(
            {name: [error["message"] for error in found] for name, found in errors.items()}
        )
    return {name: value for name, value in form.cleaned_data.items() if value not in ("", None)}


def _answers(ok, *, filters: bool = False) -> dict:
    """Every answer an operation may give: any request may bear a bad token (401) or come too
    often (429, with Retry-After); a list refuses a bad filter (400), a detail a missing one."""
    error = serializers.ErrorSerializer
    found = {200: ok, 401: error, 404: error, 429: error}
    if filters:
        found[400] = OpenApiResponse(
            OpenApiTypes.OBJECT, description="A query parameter refused, with its messages."
        )
    return found


def _text(name, description):
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)


def _choice(name, choices, description):
    return OpenApiParameter(
        name, OpenApiTypes.STR, enum=[c for c, _label in choices], description=description
    )


def _date(name, description):
    return OpenApiParameter(name, OpenApiTypes.DATE, description=description)


SEARCH = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description="Words in the names or descriptions (100 characters at most).",
)
DATES = [
    _date("starts_from", "Starting on or after this day (YYYY-MM-DD)."),
    _date("starts_until", "Starting on or before this day (YYYY-MM-DD)."),
]


class WithMeetings(ConditionalMixin):
    """Answers that depend on meetings too (a city's health counts the meetings held), whose
    changes no topic version follows."""

    def made_of(self) -> str:
        return f"{super().made_of()}:{selectors.meetings_freshness()}"


@extend_schema(
    summary="Sister cities",
    responses=_answers(serializers.CitySerializer(many=True), filters=True),
    parameters=[
        SEARCH,
        _choice("status", SisterCity.Status.choices, "The relation's status."),
        _choice("field", CooperationField.choices, "A field of cooperation."),
    ],
)
class CityList(WithMeetings, generics.ListAPIView):
    serializer_class = serializers.CitySerializer
    pagination_class = BySlug

    def get_queryset(self):
        return selectors.cities(**_filters(CityFilterForm, self.request))

    def paginate_queryset(self, queryset):
        return selectors.with_health(super().paginate_queryset(queryset))


@extend_schema(summary="A sister city", responses=_answers(serializers.CitySerializer))
class CityDetail(WithMeetings, generics.RetrieveAPIView):
    serializer_class = serializers.CitySerializer
    lookup_field = "slug"
    queryset = SisterCity.objects.all()

    def get_object(self):
        return selectors.with_health([super().get_object()])[0]


@extend_schema(
    summary="Joint initiatives",
    responses=_answers(serializers.InitiativeSerializer(many=True), filters=True),
    parameters=[
        SEARCH,
        _text("city", "A sister city's slug."),
        _choice("field", CooperationField.choices, "The initiative's field."),
        _choice("status", Initiative.Status.choices, "The initiative's status."),
        *DATES,
    ],
)
class InitiativeList(ConditionalMixin, generics.ListAPIView):
    serializer_class = serializers.InitiativeSerializer
    pagination_class = BySlug

    def get_queryset(self):
        return selectors.initiatives(**_filters(InitiativeApiFilterForm, self.request))


@extend_schema(summary="A joint initiative", responses=_answers(serializers.InitiativeSerializer))
class InitiativeDetail(ConditionalMixin, generics.RetrieveAPIView):
    serializer_class = serializers.InitiativeSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.initiatives()


class MeetingsMixin(WithMeetings):
    serializer_class = serializers.MeetingSerializer


@extend_schema(
    summary="Public meetings",
    responses=_answers(serializers.MeetingSerializer(many=True), filters=True),
    parameters=[
        _text("city", "A sister city's slug: its meetings and its initiatives' meetings."),
        _text("initiative", "An initiative's slug."),
        *DATES,
    ],
)
class MeetingList(MeetingsMixin, generics.ListAPIView):
    pagination_class = ByStart

    def get_queryset(self):
        return selectors.public_meetings(**_filters(MeetingFilterForm, self.request))


@extend_schema(summary="A public meeting", responses=_answers(serializers.MeetingSerializer))
class MeetingDetail(MeetingsMixin, generics.RetrieveAPIView):
    def get_queryset(self):
        return selectors.public_meetings()


@extend_schema(
    summary="Public agreements of the sister cities",
    responses=_answers(serializers.AgreementSerializer(many=True), filters=True),
    parameters=[
        _text("city", "A sister city's slug."),
        _choice("kind", Agreement.Kind.choices, "The agreement's kind."),
        _choice("status", Agreement.Status.choices, "The agreement's status today."),
    ],
)
class AgreementList(ConditionalMixin, generics.ListAPIView):
    # Agreements change with the "cities" topic (sistercities.apps); their status with the day,
    # which every ETag names.
    serializer_class = serializers.AgreementSerializer
    pagination_class = ById

    def get_queryset(self):
        return selectors.public_agreements(**_filters(AgreementFilterForm, self.request))


@extend_schema(summary="A public agreement", responses=_answers(serializers.AgreementSerializer))
class AgreementDetail(ConditionalMixin, generics.RetrieveAPIView):
    serializer_class = serializers.AgreementSerializer

    def get_queryset(self):
        return selectors.public_agreements()


class ProposalsMixin(ConditionalMixin):
    """Answers made of proposals, whose changes no topic version follows."""

    serializer_class = serializers.ProposalSerializer

    def made_of(self) -> str:
        return f"{super().made_of()}:{selectors.proposals_freshness()}"


@extend_schema(
    summary="Accepted proposals",
    responses=_answers(serializers.ProposalSerializer(many=True), filters=True),
    parameters=[
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            description="Words in the title, summary or aims, or a city's name "
            "(100 characters at most).",
        ),
        _text("city", "A sister city's slug."),
        _choice("field", CooperationField.choices, "The proposal's field."),
    ],
)
class ProposalList(ProposalsMixin, generics.ListAPIView):
    pagination_class = ById

    def get_queryset(self):
        return selectors.accepted_proposals(**_filters(ProposalFilterForm, self.request))


@extend_schema(summary="An accepted proposal", responses=_answers(serializers.ProposalSerializer))
class ProposalDetail(ProposalsMixin, generics.RetrieveAPIView):
    def get_queryset(self):
        return selectors.accepted_proposals()


class FiguresBody(APIView):
    def get(self, request):
        return Response(serializers.FiguresSerializer(selectors.figures()).data)


@extend_schema(summary="The programme's figures", responses=_answers(serializers.FiguresSerializer))
class Figures(WithMeetings, FiguresBody):
    pass


@extend_schema(
    summary="The dashboards' figures per city (an official's or staff's token)",
    responses={
        **_answers(serializers.DashboardCitySerializer(many=True)),
        403: serializers.ErrorSerializer,
    },
)
class DashboardCities(generics.ListAPIView):
    serializer_class = serializers.DashboardCitySerializer
    pagination_class = BySlug
    permission_classes = [DashboardToken]
    queryset = SisterCity.objects.all()

    def paginate_queryset(self, queryset):
        return selectors.with_health(super().paginate_queryset(queryset))


@extend_schema(exclude=True)
class NotThere(APIView):
    """Any other address under /api/: a JSON 404 rather than the portal's HTML page."""

    def get(self, request, *args, **kwargs):
        raise NotFound()


def api_docs(request):
    context = {
        "info": docs.schema()["info"],
        "operations": docs.operations(),
        "records": docs.records(),
    }
    return render(request, "opendata/api_docs.html", context)


def _token_holder(request):
    if not services.may_hold_tokens(request.user):
        raise PermissionDenied
    return request.user


@never_cache
@login_required
def token_list(request):
    user = _token_holder(request)
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        try:
            created, key = services.create_token(user=user, **form.cleaned_data)
        except services.TokenError as error:
            form.add_error(None, str(error))
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": selectors.own_tokens(user),
        "created": created,
        "key": key,
    }
    return render(request, "opendata/token_list.html", context)


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=_token_holder(request))
    try:
        services.revoke_token(token=token)
    except services.TokenError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("opendata:token-list")
