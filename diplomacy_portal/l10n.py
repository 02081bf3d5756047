"""Dates and digits the way each language writes them: Solar Hijri and Persian digits under
Persian, Gregorian and Western digits under English."""

import datetime
import functools

import jdatetime
from django.utils import formats, timezone
from django.utils.translation import get_language

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# What people type on Persian and Arabic keyboards, read as Western digits.
WESTERN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def is_persian(language: str | None = None) -> bool:
    return (language or get_language() or "").startswith("fa")


def digits(value, language: str | None = None) -> str:
    """`value` as text, with Persian digits under Persian."""
    text = str(value)
    return text.translate(PERSIAN_DIGITS) if is_persian(language) else text


def western_digits(text: str) -> str:
    return text.translate(WESTERN_DIGITS)


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def isoformat(value) -> str:
    """A day or a moment as HTML's <time datetime> takes it: a moment to the second (HTML
    allows no microseconds), in the portal's time zone."""
    if isinstance(value, datetime.datetime):
        return _local(value).replace(microsecond=0).isoformat()
    return value.isoformat()


def format_date(value, language: str | None = None) -> str:
    """A day, e.g. '9 Azar 1405' as '۹ آذر ۱۴۰۵' under Persian, '30 November 2026' otherwise."""
    if value in (None, ""):
        return ""
    value = _local(value)
    day = value.date() if isinstance(value, datetime.datetime) else value
    return _format_day(day, is_persian(language), get_language())


@functools.lru_cache(maxsize=4096)
def _format_day(day: datetime.date, persian: bool, active_language: str) -> str:
    # Kept: how a language writes a day never changes, and a page writes the same days often
    # (an inbox's twenty notices). Gregorian month names come in the active language.
    if persian:
        jalali = jdatetime.date.fromgregorian(date=day, locale="fa_IR")
        return digits(f"{jalali.day} {jalali.j_months_fa[jalali.month - 1]} {jalali.year}", "fa")
    return formats.date_format(day, "j F Y")


def format_datetime(value, language: str | None = None) -> str:
    """A moment in the portal's time zone: the day as format_date gives it, then the time."""
    if value in (None, ""):
        return ""
    value = _local(value)
    active_language = get_language()
    return _format_moment(
        value.date(),
        value.hour,
        value.minute,
        is_persian(language or active_language),
        active_language,
    )


@functools.lru_cache(maxsize=4096)
def _format_moment(
    day: datetime.date, hour: int, minute: int, persian: bool, active_language: str
) -> str:
    # Kept for the reason _format_day is: an inbox writes twenty moments on every read.
    day_text, time = _format_day(day, persian, active_language), f"{hour:02d}:{minute:02d}"
    return f"{day_text}، {digits(time, 'fa')}" if persian else f"{day_text}, {time}"
