from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages, without msgmerge's guesses: a new string starts untranslated
    instead of borrowing a similar string's translation (a "fuzzy" entry Django ignores)."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
