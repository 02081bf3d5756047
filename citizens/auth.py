"""What the navigation and the middleware ask about the signed-in person."""

from allauth.mfa.models import Authenticator

from .models import DiplomatApplication


def has_totp(user) -> bool:
    """Whether the user has an authenticator app set up."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def unread_count(user) -> int:
    """How many of the user's notifications are unread."""
    return user.notifications.filter(read_at__isnull=True).count()


def has_application(user) -> bool:
    """Whether the user has an application, in whatever state."""
    return DiplomatApplication.objects.filter(user=user).exists()
