from django.utils.functional import SimpleLazyObject

from citizens.auth import unread_count


def inbox(request):
    """The signed-in user's unread count for the navigation bar (read with the user, or
    counted only if shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
