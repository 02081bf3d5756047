from citizens.models import User


def set_preferred_language(*, user: User, language: str) -> User:
    """Remember the language a user chose; their pages and e-mails follow it."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user
