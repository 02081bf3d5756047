from django.utils.functional import SimpleLazyObject


def inbox(request):
    """The signed-in user's unread count for the navigation bar, counted only if shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: user.notifications.filter(read_at__isnull=True).count()
        )
    }
