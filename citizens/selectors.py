"""Read queries for a person's own pages."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator

from .models import ApplicationStatusChange, DiplomatApplication, Notification, User


@dataclass
class MyApplication:
    application: DiplomatApplication | None
    history: list[ApplicationStatusChange] = field(default_factory=list)


def my_application(user: User) -> MyApplication:
    """What /me/profile/ shows of `user`: the application with its history, oldest first (one
    query, and one for the history if there is an application)."""
    page = MyApplication(application=DiplomatApplication.objects.filter(user=user).first())
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
