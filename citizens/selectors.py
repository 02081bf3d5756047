"""Read queries for a person's own pages, which are read often: each in one round trip, in SQL
written out, since building the same queries with the ORM cost /me/ and /inbox/ more than a
millisecond of each request, and prepared once per connection (planning them cost about as
much as running them)."""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Model

from diplomacy_portal.prepared import PreparedQuery
from initiatives.models import CalendarFeed

from .models import ApplicationStatusChange, DiplomatApplication, Notification, User


def partial(model: type[Model], **values) -> Model:
    """An instance loaded with these fields only; the others load when first read, as with
    QuerySet.only()."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


@dataclass
class MyPage:
    application: DiplomatApplication | None
    history: list[ApplicationStatusChange] = field(default_factory=list)
    calendar_feed: CalendarFeed | None = None


_MY_PAGE_SQL = f"""
SELECT application.id, application.status, (
           SELECT json_agg(json_build_object(
               'id', change.id, 'from_status', change.from_status,
               'to_status', change.to_status, 'note_to_applicant', change.note_to_applicant,
               'created_at', change.created_at) ORDER BY change.created_at, change.id)
           FROM {ApplicationStatusChange._meta.db_table} change
           WHERE change.application_id = application.id)::text,
       feed.id, feed.token
FROM {User._meta.db_table} person
LEFT JOIN {DiplomatApplication._meta.db_table} application ON application.user_id = person.id
LEFT JOIN {CalendarFeed._meta.db_table} feed ON feed.user_id = person.id
WHERE person.id = $1
"""
_my_page = PreparedQuery("citizens_my_page", "bigint", lambda connection: _MY_PAGE_SQL)


def my_page(user: User) -> MyPage:
    """What /me/ shows of `user`: the application with its history, oldest first, and the
    calendar address."""
    with connection.cursor() as cursor:
        _my_page.execute(cursor, connection, [user.pk])
        # The history as JSON text, decoded here whatever loaders the connection has.
        application_id, status, changes, feed_id, token = cursor.fetchone()
    page = MyPage(application=None)
    if application_id is not None:
        page.application = partial(
            DiplomatApplication, id=application_id, user_id=user.pk, status=status
        )
        page.history = [
            partial(
                ApplicationStatusChange,
                **{**change, "created_at": datetime.fromisoformat(change["created_at"])},
                application_id=application_id,
            )
            for change in json.loads(changes or "[]")
        ]
    if feed_id is not None:
        page.calendar_feed = partial(CalendarFeed, id=feed_id, user_id=user.pk, token=token)
    return page


INBOX_PAGE_SIZE = 20
# The count comes with the page, and a row carries it even when the page has no notices.
_INBOX_SQL = f"""
SELECT inbox.total, entry.id, entry.kind, entry.context::text, entry.url, entry.created_at,
       entry.read_at
FROM (SELECT COUNT(*) AS total FROM {Notification._meta.db_table} WHERE recipient_id = $1)
     AS inbox
LEFT JOIN LATERAL (
    SELECT id, kind, context, url, created_at, read_at
    FROM {Notification._meta.db_table}
    WHERE recipient_id = $1
    ORDER BY created_at DESC, id DESC
    LIMIT $2 OFFSET $3
) AS entry ON true
"""
_inbox = PreparedQuery("citizens_inbox", "bigint, integer, integer", lambda connection: _INBOX_SQL)
# Far past any inbox's end; keeps the offset a number Postgres takes.
_LAST_PAGE_ASKED = 1_000_000


@dataclass(slots=True)
class InboxEntry:
    """A notification as the inbox lists it. `details` is its context as PostgreSQL writes
    jsonb, so equal details are equal texts. What the page shows (`text`: subject, message
    and the message as HTML; `when` and `when_iso`) is set by notifications.show_in_inbox()."""

    id: int
    kind: str
    details: str
    url: str
    created_at: datetime
    read_at: datetime | None
    text: dict | None = None
    when: str = ""
    when_iso: str = ""


def _inbox_entries(user: User, number: int) -> tuple[list[InboxEntry], int]:
    with connection.cursor() as cursor:
        _inbox.execute(
            cursor, connection, [user.pk, INBOX_PAGE_SIZE, (number - 1) * INBOX_PAGE_SIZE]
        )
        rows = cursor.fetchall()
    entries = [InboxEntry(*row[1:]) for row in rows if row[1] is not None]
    return entries, rows[0][0]


def inbox_page(user: User, number) -> Page:
    """A page of `user`'s inbox, newest first, with the count of all, in one query. `number`
    as Paginator.get_page takes it: page 1 for anything but a number, the last page for one
    before the first or past the last (a second query)."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    if not 1 <= number <= _LAST_PAGE_ASKED:
        number = _LAST_PAGE_ASKED
    entries, total = _inbox_entries(user, number)
    if not entries and number > 1:
        number = max(1, -(-total // INBOX_PAGE_SIZE))
        entries, total = _inbox_entries(user, number)
    paginator = Paginator((), INBOX_PAGE_SIZE)
    paginator.count = total
    return Page(entries, number, paginator)
