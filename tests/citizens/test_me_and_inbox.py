import re

import pytest

from citizens.models import Notification
from citizens.services import applications as services
from diplomacy_portal.templatetags.portal import isoformat
from tests.factories import UserFactory, application_in, reviewer
from tests.reliability.caches import production_caches


@pytest.fixture
def returned(client, django_capture_on_commit_callbacks):
    """A submitted application that staff returned with notes; its applicant is signed in."""
    application = application_in("submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(
            application=application,
            reviewer=reviewer("maryam@example.org"),
            decision="request_changes",
            note="Please add a photo where your face is visible.",
            internal_note="Photo looks like a logo.",
        )
    client.force_login(application.user)
    return application


@pytest.mark.django_db
def test_my_page_shows_the_status_and_every_change_with_the_note_to_me(client, returned):
    html = client.get("/me/").content.decode()

    assert "Changes requested" in html
    assert "Draft → Submitted" in html
    assert "Submitted → Changes requested" in html
    assert "Please add a photo where your face is visible." in html
    assert "Photo looks like a logo." not in html
    assert 'href="/apply/"' in html
    assert "Withdraw my application" in html


@pytest.mark.django_db
def test_a_decided_application_can_no_longer_be_edited_or_withdrawn(client):
    application = application_in("approved")
    client.force_login(application.user)

    html = client.get("/me/").content.decode()

    assert "You are a citizen diplomat. Welcome!" in html
    assert "Withdraw my application" not in html
    assert client.get("/apply/")["Location"] == "/me/"


@pytest.mark.django_db
def test_the_applicant_can_withdraw(client):
    application = application_in("submitted")
    client.force_login(application.user)

    client.post("/me/withdraw/")

    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.history.last().actor == application.user


@pytest.mark.django_db
def test_the_inbox_lists_newest_first_with_unread_ones_marked_and_counted(client, returned):
    older = Notification.objects.create(
        recipient=returned.user, kind="application_approved", read_at="2026-01-01T00:00:00Z"
    )
    Notification.objects.filter(pk=older.pk).update(created_at="2026-01-01T00:00:00Z")

    html = client.get("/inbox/").content.decode()

    assert (
        html.index("Your application needs changes")
        < html.index("We have received your application")
        < html.index("You are now a citizen diplomat")
    )
    assert html.count("notification-unread") == 2  # the receipt and the request for changes
    assert "Please add a photo where your face is visible." in html
    assert '2<span class="visually-hidden"> unread</span>' in html


@pytest.mark.django_db
def test_marking_as_read_clears_the_count(client, returned):
    receipt, decision = returned.user.notifications.order_by("pk")

    client.post("/inbox/read/", {"notification": decision.pk, "next": "/inbox/"})

    decision.refresh_from_db()
    assert decision.read_at is not None
    assert '1<span class="visually-hidden"> unread</span>' in client.get("/inbox/").content.decode()
    client.post("/inbox/read/", {"notification": receipt.pk, "next": "/inbox/"})
    assert "unread</span>" not in client.get("/inbox/").content.decode()


@pytest.mark.django_db
def test_mark_all_as_read_marks_only_my_own(client, returned):
    someone_else = Notification.objects.create(
        recipient=UserFactory(email="other@example.org"), kind="application_approved"
    )

    client.post("/inbox/read/")

    assert not returned.user.notifications.filter(read_at__isnull=True).exists()
    someone_else.refresh_from_db()
    assert someone_else.read_at is None


@pytest.mark.django_db
def test_the_inbox_reads_in_the_readers_language(client, returned):
    html = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "Please add a photo" in html  # the staff's own words stay as written

    returned.user.preferred_language = "fa"
    returned.user.save()
    html = client.get("/inbox/").content.decode()
    assert "Your application needs changes" not in html


@pytest.mark.django_db
def test_the_profile_keeps_the_chosen_language(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    client.post("/me/", {"first_name": "Sara", "last_name": "Ahmadi", "preferred_language": "fa"})

    user.refresh_from_db()
    assert (user.first_name, user.preferred_language) == ("Sara", "fa")
    assert 'lang="fa" dir="rtl"' in client.get("/me/").content.decode()


@pytest.mark.django_db
def test_a_wrong_profile_field_is_marked_and_named_and_nothing_is_saved(client):
    import re

    user = UserFactory(first_name="Sara", last_name="Karimi", preferred_language="en")
    client.force_login(user)

    response = client.post(
        "/me/", {"first_name": "S" * 151, "last_name": "Ahmadi", "preferred_language": "en"}
    )

    html = response.content.decode()
    (field,) = re.findall(r'<input type="text" name="first_name"[^>]*>', html)
    assert "form-control is-invalid" in field and 'aria-invalid="true"' in field
    (described_by,) = re.findall(r'aria-describedby="([^"]+)"', field)
    assert re.search(
        rf'<div id="{described_by}" class="invalid-feedback">.*at most 150 characters', html
    )
    required = r'<label\s+for="id_preferred_language" class="form-label requiredField">'
    assert re.search(required, html)
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Sara", "Karimi")


def _invitation(person, meeting: str = "Silk Road crafts fair") -> Notification:
    return Notification.objects.create(
        recipient=person,
        kind=Notification.Kind.MEETING_INVITATION,
        context={
            "meeting": meeting,
            "host": "Florence",
            "host_fa": "فلورانس",
            "starts_at": "2026-12-03T10:00:00+03:30",
        },
    )


@pytest.mark.django_db
def test_a_text_many_inboxes_share_is_rendered_once_per_language(client):
    from django.test.signals import template_rendered

    first, second, persian = UserFactory(), UserFactory(), UserFactory(preferred_language="fa")
    for person in (first, first, second, persian):  # the first has it twice
        _invitation(person)
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        client.force_login(first)
        first_html = client.get("/inbox/").content.decode()
        first_rendered = [name for name in rendered if name.startswith("notifications/")]
        client.force_login(second)
        rendered.clear()
        second_html = client.get("/inbox/").content.decode()
        second_rendered = [name for name in rendered if name.startswith("notifications/")]
        client.force_login(persian)
        persian_html = client.get("/inbox/").content.decode()
    finally:
        template_rendered.disconnect(record)

    assert "You are invited to “Silk Road crafts fair” (Florence)" in first_html
    assert "You are invited to “Silk Road crafts fair” (Florence)" in second_html
    assert sorted(first_rendered) == [
        "notifications/meeting_invitation_message.txt",
        "notifications/meeting_invitation_subject.txt",
    ]
    assert second_rendered == []
    # The same notice in Persian is a text of its own.
    assert "فلورانس" in persian_html


@pytest.mark.django_db
def test_the_inbox_does_without_redis(client, settings):
    person = UserFactory()
    _invitation(person)
    client.force_login(person)
    settings.CACHES = production_caches("redis://127.0.0.1:9/0")  # nothing answers there

    response = client.get("/inbox/")

    assert response.status_code == 200
    assert "Silk Road crafts fair" in response.content.decode()


@pytest.mark.django_db
def test_my_profile_reads_the_application_with_its_history_in_two_queries(
    client, django_assert_num_queries
):
    application = application_in("approved")
    changes = list(application.history.all())
    client.force_login(application.user)

    # The user (their roles kept in Redis), the unread count; the application; its history.
    with django_assert_num_queries(4):
        html = client.get("/me/profile/").content.decode()

    shown = re.findall(r'<time datetime="([^"]+)"', html)
    assert shown == [isoformat(change.created_at) for change in changes]
    assert html.index("Draft → Submitted") < html.index("Submitted → Approved")
    assert 'href="/me/export/"' in html and 'href="/me/delete/"' in html


@pytest.mark.django_db
def test_my_page_without_an_application_invites_to_apply(client):
    client.force_login(UserFactory())

    html = client.get("/me/").content.decode()

    assert "You have not applied yet." in html
    assert "What happened" not in html
    assert "Get my calendar address" not in html  # the feed is for diplomats


@pytest.fixture
def crowded_inbox(client):
    """45 notifications, the newest named 'Meeting 45' and the oldest 'Meeting 1'."""
    user = UserFactory()
    for n in range(1, 46):
        Notification.objects.create(
            recipient=user,
            kind="meeting_cancelled",
            context={
                "meeting": f"Meeting {n}",
                "host": "Florence",
                "host_fa": "فلورانس",
                "starts_at": "2027-01-11T10:00:00+03:30",
            },
        )
    client.force_login(user)
    return user


def _shown_titles(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"Meeting (\d+)\b", html)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "page", "newest"),
    [
        ("", 1, 45),
        ("2", 2, 25),
        ("3", 3, 5),
        ("4", 3, 5),  # past the end: the last page, as Django's paginator gives it
        ("0", 3, 5),
        ("-1", 3, 5),
        ("10" * 20, 3, 5),
        ("two", 1, 45),
        ("2.5", 1, 45),
    ],
)
def test_the_inbox_pages_twenty_at_a_time_and_any_page_asked_for_is_answered(
    client, crowded_inbox, asked, page, newest
):
    response = client.get("/inbox/", {"page": asked})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Page {page} of 3" in html
    titles = sorted(set(_shown_titles(html)), reverse=True)
    assert titles == list(range(newest, max(newest - 20, 0), -1))


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["1", "3"])
def test_every_page_of_the_inbox_makes_the_same_few_queries(
    client, crowded_inbox, page, django_assert_num_queries
):
    client.get("/inbox/")  # every text rendered and kept once
    # The user (their roles kept in Redis), whether they applied (the menu); the notices'
    # count, the page of them; the unread count.
    with django_assert_num_queries(5):
        client.get("/inbox/", {"page": page})


@pytest.mark.django_db
def test_an_empty_inbox_says_so(client):
    client.force_login(UserFactory())

    html = client.get("/inbox/").content.decode()

    assert "No notifications yet." in html
    assert "Page 1 of" not in html


@pytest.mark.django_db
def test_an_inbox_entry_shows_its_text_escaped_and_its_message_as_rendered(client):
    person = UserFactory()
    notice = Notification.objects.create(
        recipient=person,
        kind=Notification.Kind.MEETING_CANCELLED,
        context={
            "meeting": "<script>alert(1)</script>",
            "host": "Florence",
            "host_fa": "فلورانس",
            "starts_at": "2027-01-11T10:00:00+03:30",
        },
        url='/meetings/1/?a=1&b="2"',
    )
    client.force_login(person)

    html = client.get("/inbox/").content.decode()

    assert '<a href="/meetings/1/?a=1&amp;b=&quot;2&quot;">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert '<span class="badge text-bg-primary">New</span>' in html
    assert f'name="notification" value="{notice.pk}"' in html
    assert f'<time datetime="{isoformat(notice.created_at)}"' in html


@pytest.mark.django_db
def test_a_message_of_several_lines_keeps_its_lines_in_the_inbox(client, returned):
    Notification.objects.filter(recipient=returned.user).update(
        context={"note": "Please add a photo.\nA recent one."}
    )

    html = client.get("/inbox/").content.decode()

    assert "Note from the municipal staff:<br>Please add a photo.<br>A recent one.</p>" in html
