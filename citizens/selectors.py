"""Read queries for a person's own pages."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Model

from .models import ApplicationStatusChange, DiplomatApplication, Notification, User


@dataclass
class MyPage:
    application: DiplomatApplication | None
    history: list[ApplicationStatusChange] = field(default_factory=list)
    # The person's calendar feed (initiatives' CalendarFeed), read along with them.
    calendar_feed: Model | None = None


def my_page(user: User) -> MyPage:
    """What /me/ shows of `user`: the application with its history, oldest first, and the
    calendar address (one query, and one for the history if there is an application)."""
    mine = (
        User.objects.filter(pk=user.pk)
        .select_related("application", "calendar_feed")
        .only("pk", "application__status", "calendar_feed__token")
        .get()
    )
    page = MyPage(
        application=getattr(mine, "application", None),
        calendar_feed=getattr(mine, "calendar_feed", None),
    )
    if page.application is not None:
        page.history = list(page.application.history.all())  # oldest first (Meta.ordering)
    return page


INBOX_PAGE_SIZE = 20


def inbox_page(user: User, number) -> Page:
    """A page of `user`'s inbox, newest first (the notification_inbox index's order). `number`
    as Paginator.get_page takes it: page 1 for anything but a number, the last page for one
    before the first or past the last."""
    notices = Notification.objects.filter(recipient=user).only(
        "kind", "context", "url", "created_at", "read_at"
    )
    return Paginator(notices, INBOX_PAGE_SIZE).get_page(number)
