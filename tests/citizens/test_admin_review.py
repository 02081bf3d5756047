import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from citizens.models import DiplomatApplication, Notification, User
from diplomacy_portal import l10n
from diplomacy_portal.vocabulary import CooperationField
from tests.factories import (
    SisterCityFactory,
    UserFactory,
    application_in,
    reviewer,
)

QUEUE = "/admin/citizens/diplomatapplication/"


@pytest.fixture
def staff_client(client, db):
    client.force_login(reviewer("maryam@example.org"))
    return client


def _names(response):
    return [application.display_name for application in response.context["cl"].result_list]


@pytest.mark.django_db
def test_the_queue_opens_on_waiting_applications_newest_first_with_counts_per_status(
    staff_client,
):
    first = application_in("submitted", full_name_latin="Early Bird")
    second = application_in("submitted", full_name_latin="Late Comer")
    application_in("approved", full_name_latin="Done Deal")
    application_in("draft", full_name_latin="Not Yet")
    DiplomatApplication.objects.filter(pk=first.pk).update(submitted_at="2026-01-01T00:00Z")
    DiplomatApplication.objects.filter(pk=second.pk).update(submitted_at="2026-02-01T00:00Z")

    response = staff_client.get(QUEUE)
    every = staff_client.get(f"{QUEUE}?status__exact=all")

    assert _names(response) == ["Late Comer", "Early Bird"]
    assert _names(every) == ["Done Deal", "Late Comer", "Early Bird", "Not Yet"]
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts["submitted"] == 2 and counts["approved"] == 1 and counts["rejected"] == 0
    assert response.context["status_total"] == 4


@pytest.mark.django_db
def test_each_waiting_application_shows_how_long_it_has_waited_and_its_photo(staff_client):
    from django.utils import timezone

    application = application_in("submitted", full_name_latin="Early Bird")
    DiplomatApplication.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timezone.timedelta(days=12, hours=3)
    )

    english = staff_client.get(QUEUE).content.decode()
    User.objects.filter(email="maryam@example.org").update(preferred_language="fa")
    persian = staff_client.get(QUEUE).content.decode()

    assert '<td class="field-waiting nowrap">12 days</td>' in english
    assert '<td class="field-waiting nowrap">۱۲ روز</td>' in persian
    photo = reverse("citizens:application-document", args=[application.public_id, "photo"])
    assert f'<img class="queue-thumbnail" src="{photo}" alt="" width="40" height="40" ' in english
    assert 'loading="lazy"' in english
    assert staff_client.get(photo).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=approved", ["Done Deal"]),
        ("field=economic", ["Money Maker"]),
        ("language=ru", ["Russian Speaker"]),
        ("q=0913000", ["Money Maker"]),
        ("q=speaker%40example.org", ["Russian Speaker"]),
        ("q=Done", ["Done Deal"]),
    ],
)
def test_the_queue_filters_and_searches(staff_client, query, expected):
    application_in("approved", full_name_latin="Done Deal")
    application_in(
        "submitted",
        full_name_latin="Money Maker",
        fields_of_expertise=["economic"],
        phone="09130001111",
    )
    application_in(
        "submitted",
        full_name_latin="Russian Speaker",
        user=UserFactory(email="speaker@example.org"),
        languages=[("ru", "native")],
    )

    assert _names(staff_client.get(f"{QUEUE}?{query}")) == expected


@pytest.mark.django_db
def test_the_queue_filters_by_preferred_city(staff_client):
    porto = SisterCityFactory(name_en="Porto")
    application_in("submitted", full_name_latin="Porto Fan", preferred_cities=[porto])
    application_in("submitted", full_name_latin="Florence Fan")

    response = staff_client.get(f"{QUEUE}?preferred_cities__id__exact={porto.pk}")

    assert _names(response) == ["Porto Fan"]


@pytest.mark.django_db
def test_the_application_page_shows_everything_documents_and_history(staff_client):
    application = application_in("submitted")

    html = staff_client.get(
        reverse("admin:citizens_diplomatapplication_change", args=[application.pk])
    ).content.decode()

    for shown in [
        "Sara Ahmadi",
        "سارا احمدی",
        "09131234567",
        "Architect",
        "Florence",
        "English (Fluent)",
        "I restore historic houses",
    ]:
        assert shown in html
    assert f"/applications/{application.public_id}/documents/cv/" in html
    assert f"/applications/{application.public_id}/documents/photo/" in html
    assert "Status history" in html
    for decision in ("approve", "reject", "request_changes"):
        assert f"/decide/{decision}/" in html


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "approved", "withdrawn"])
def test_no_decision_is_offered_on_an_application_not_waiting_for_one(staff_client, status):
    application = application_in(status)

    html = staff_client.get(
        reverse("admin:citizens_diplomatapplication_change", args=[application.pk])
    ).content.decode()

    assert "/decide/" not in html


@pytest.mark.django_db
def test_no_decision_is_offered_on_ones_own_application(client):
    staff_member = reviewer("applying@example.org")
    application = application_in("submitted", user=staff_member)
    client.force_login(staff_member)

    html = client.get(
        reverse("admin:citizens_diplomatapplication_change", args=[application.pk])
    ).content.decode()
    response = client.post(f"{QUEUE}{application.pk}/decide/approve/", {"note": ""})

    assert "/decide/" not in html
    assert DiplomatApplication.objects.get(pk=application.pk).status == "submitted"
    assert response.status_code == 302


@pytest.mark.django_db
def test_staff_decide_one_application_with_notes(
    staff_client, django_capture_on_commit_callbacks, mailoutbox
):
    application = application_in("submitted")

    assert staff_client.get(f"{QUEUE}{application.pk}/decide/approve/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"{QUEUE}{application.pk}/decide/approve/",
            {"note": "Welcome aboard!", "internal_note": "Strong CV."},
        )

    application.refresh_from_db()
    assert application.status == "approved"
    change = application.history.last()
    assert (change.note_to_applicant, change.internal_note) == ("Welcome aboard!", "Strong CV.")
    assert change.actor.email == "maryam@example.org"
    (message,) = [m for m in mailoutbox if m.to == [application.user.email]]
    assert "Welcome aboard!" in message.body


@pytest.mark.django_db
def test_staff_decide_in_bulk_and_ineligible_ones_are_skipped(staff_client):
    waiting = [
        application_in("submitted", user=UserFactory(email=f"w{i}@example.org")) for i in range(3)
    ]
    draft = application_in("draft")
    selected = [str(a.pk) for a in waiting + [draft]]

    form = staff_client.post(QUEUE, {"action": "reject_selected", "_selected_action": selected})
    assert form.status_code == 200 and "Note to the applicant" in form.content.decode()
    staff_client.post(
        QUEUE,
        {
            "action": "reject_selected",
            "_selected_action": selected,
            "confirm": "yes",
            "note": "Not this year.",
            "internal_note": "",
        },
    )

    assert set(
        DiplomatApplication.objects.filter(pk__in=[a.pk for a in waiting]).values_list(
            "status", flat=True
        )
    ) == {"rejected"}
    assert DiplomatApplication.objects.get(pk=draft.pk).status == "draft"
    assert Notification.objects.filter(kind="application_rejected").count() == 3


@pytest.mark.django_db
def test_requesting_changes_without_a_note_to_the_applicant_is_refused(staff_client):
    application = application_in("submitted")

    page = staff_client.post(
        f"{QUEUE}{application.pk}/decide/request_changes/", {"note": "  ", "internal_note": "x"}
    )

    assert page.status_code == 200
    assert "changes cannot be requested without one" in page.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted" and application.history.count() == 1


@pytest.mark.django_db
def test_requesting_changes_in_bulk_without_a_note_is_refused(staff_client):
    application = application_in("submitted")

    page = staff_client.post(
        QUEUE,
        {
            "action": "request_changes_selected",
            "_selected_action": [str(application.pk)],
            "confirm": "yes",
            "note": "",
            "internal_note": "",
        },
    )

    assert "changes cannot be requested without one" in page.content.decode()
    assert DiplomatApplication.objects.get(pk=application.pk).status == "submitted"


@pytest.mark.django_db
def test_staff_without_the_review_permission_see_no_decisions(client):
    application = application_in("submitted")
    clerk = UserFactory(email="clerk@example.org", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_diplomatapplication"))
    client.force_login(clerk)

    listing = client.get(QUEUE)
    page = client.get(reverse("admin:citizens_diplomatapplication_change", args=[application.pk]))
    refused = client.post(f"{QUEUE}{application.pk}/decide/approve/", {"note": ""})

    assert listing.status_code == 200 and "approve_selected" not in listing.content.decode()
    assert "/decide/" not in page.content.decode()
    assert refused.status_code == 403
    assert DiplomatApplication.objects.get(pk=application.pk).status == "submitted"


@pytest.mark.django_db
def test_the_history_is_read_only_in_the_admin(staff_client):
    application = application_in("approved")
    change = application.history.last()
    url = reverse("admin:citizens_applicationstatuschange_change", args=[change.pk])

    staff_client.post(url, {"note_to_applicant": "rewritten"})
    staff_client.post(
        reverse("admin:citizens_applicationstatuschange_delete", args=[change.pk]), {"post": "yes"}
    )

    change.refresh_from_db()
    assert change.note_to_applicant == ""


def _submitted_applications(count: int, city) -> None:
    users = UserFactory.create_batch(count, verified=False)
    created = DiplomatApplication.objects.bulk_create(
        DiplomatApplication(
            user=user,
            status="submitted",
            full_name_latin=f"Person {i}",
            fields_of_expertise=["cultural"],
            submitted_at="2026-05-01T00:00Z",
        )
        for i, user in enumerate(users)
    )
    DiplomatApplication.preferred_cities.through.objects.bulk_create(
        DiplomatApplication.preferred_cities.through(diplomatapplication=a, sistercity=city)
        for a in created
    )


@pytest.mark.django_db
def test_the_queue_makes_the_same_few_queries_for_150_and_500_applications(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city = SisterCityFactory(name_en="Florence")
    queries = {}
    # Both more than a page: a queue that fits on one is counted exactly, one query more.
    for total, more in ((150, 150), (500, 350)):
        _submitted_applications(more, city)
        staff_client.get(QUEUE)  # the first read of a session may do one-off work
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(QUEUE)
        queries[total] = len(captured)
        assert len(response.context["cl"].result_list) == min(total, 100)

    # The session with its user, the filter choices, the page itself; the counts by status
    # (which also give the page count) once every half minute.
    assert queries[150] == queries[500] <= 10


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_queue_shows_each_applicant_with_what_staff_decide_on(staff_client, language):
    from django.utils import translation

    application = application_in(
        "submitted",
        full_name_latin='Ana "<b>" Silva',
        fields_of_expertise=["economic"],
        user=UserFactory(email="ana@example.org"),
    )

    User.objects.filter(email="maryam@example.org").update(preferred_language=language)

    page = staff_client.get(QUEUE).content.decode()

    row = page[page.index('<tr><td class="action-checkbox">') :]
    row = row[: row.index("</tr>")]
    assert f'name="_selected_action" value="{application.pk}"' in row
    assert "Ana &quot;&lt;b&gt;&quot; Silva" in row and "<b>" not in row
    assert f'href="{application.pk}/change/"' in row
    assert "ana@example.org" in row
    with translation.override(language):
        assert str(DiplomatApplication.Status.SUBMITTED.label) in row
        assert str(CooperationField.ECONOMIC.label) in row
        # Submitted when, as the portal writes a moment everywhere (Solar Hijri in Persian).
        assert l10n.format_datetime(application.submitted_at) in row


@pytest.mark.django_db
def test_the_queue_counts_what_a_filter_leaves(staff_client):
    application_in("submitted", full_name_latin="Waiting One")
    application_in("submitted", full_name_latin="Waiting Two", fields_of_expertise=["economic"])
    application_in("approved", full_name_latin="Done Deal", fields_of_expertise=["economic"])

    everyone = staff_client.get(f"{QUEUE}?status__exact=all")
    opened = staff_client.get(QUEUE)
    waiting = staff_client.get(f"{QUEUE}?status__exact=submitted")
    waiting_economists = staff_client.get(f"{QUEUE}?status__exact=submitted&field=economic")

    assert everyone.context["cl"].result_count == 3
    assert opened.context["cl"].result_count == waiting.context["cl"].result_count == 2
    assert _names(waiting) == ["Waiting Two", "Waiting One"]
    assert waiting_economists.context["cl"].result_count == 1


@pytest.mark.django_db
def test_a_long_queue_is_paged_by_its_counts_by_status(staff_client):
    _submitted_applications(150, SisterCityFactory(name_en="Florence"))

    first = staff_client.get(QUEUE)
    second = staff_client.get(f"{QUEUE}?p=2")
    waiting = staff_client.get(f"{QUEUE}?status__exact=submitted")

    assert first.context["cl"].result_count == 150 == waiting.context["cl"].result_count
    assert first.context["cl"].paginator.num_pages == 2
    assert len(first.context["cl"].result_list) == 100
    assert len(second.context["cl"].result_list) == 50
    assert "150 diplomat applications" in first.content.decode()
