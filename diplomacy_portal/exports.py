"""What the apps' downloads share: a person's data export, which each app adds its part to (see
citizens.services.privacy), and CSV cells kept as text."""

from collections.abc import Callable

_SECTIONS: dict[str, Callable] = {}


def register_export_section(name: str, collect: Callable) -> None:
    """`collect(user)` returns the JSON-ready data of the section `name` for that user."""
    _SECTIONS[name] = collect


def export_sections(user) -> dict:
    return {name: collect(user) for name, collect in _SECTIONS.items()}


# A spreadsheet program reads a cell starting with one of these as a formula: text typed by people
# (a meeting's title, a contact's note) must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """A CSV cell that a spreadsheet program shows as the text it is, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
