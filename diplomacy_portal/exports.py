"""Apps add their part of a person's data export here (see citizens.services.privacy)."""

from collections.abc import Callable

_SECTIONS: dict[str, Callable] = {}


def register_export_section(name: str, collect: Callable) -> None:
    """`collect(user)` returns the JSON-ready data of the section `name` for that user."""
    _SECTIONS[name] = collect


def export_sections(user) -> dict:
    return {name: collect(user) for name, collect in _SECTIONS.items()}
