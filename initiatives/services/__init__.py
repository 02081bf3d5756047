"""Every change to initiatives, memberships, meetings and invitations happens in here."""


class InitiativeError(Exception):
    """A move the rules do not allow; its message is shown to the user."""
