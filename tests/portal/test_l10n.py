import datetime
import zoneinfo

from django.utils import translation

from diplomacy_portal import l10n


def test_persian_dates_are_solar_hijri_with_persian_month_and_digits():
    assert l10n.format_date(datetime.date(2026, 11, 30), "fa") == "۹ آذر ۱۴۰۵"
    assert l10n.format_date(datetime.date(2026, 3, 21), "fa") == "۱ فروردین ۱۴۰۵"


def test_english_dates_are_gregorian():
    with translation.override("en"):
        assert l10n.format_date(datetime.date(2026, 11, 30)) == "30 November 2026"


def test_moments_are_shown_in_tehran_time():
    utc_evening = datetime.datetime(2026, 11, 30, 21, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))

    # 21:00 UTC is 00:30 the next day in Tehran (UTC+3:30).
    assert l10n.format_datetime(utc_evening, "fa") == "۱۰ آذر ۱۴۰۵، ۰۰:۳۰"
    with translation.override("en"):
        assert l10n.format_datetime(utc_evening) == "1 December 2026, 00:30"


def test_digits_follow_the_language():
    assert l10n.digits(1405, "fa") == "۱۴۰۵"
    assert l10n.digits(1405, "en") == "1405"


def test_template_filters_use_the_active_language():
    from django.template import Context, Template

    template = Template("{% load portal %}{{ day|localdate }} {{ n|digits }}")
    context = Context({"day": datetime.date(2026, 11, 30), "n": 16})
    with translation.override("fa"):
        assert template.render(context) == "۹ آذر ۱۴۰۵ ۱۶"
    with translation.override("en"):
        assert template.render(context) == "30 November 2026 16"


def test_machine_readable_times_are_to_the_second_in_tehran_time():
    from django.template import Context, Template

    template = Template("{% load portal %}{{ moment|isoformat }}")
    moment = datetime.datetime(2026, 11, 30, 6, 45, 29, 384226, tzinfo=datetime.UTC)

    assert template.render(Context({"moment": moment})) == "2026-11-30T10:15:29+03:30"


def test_the_persian_catalogue_defines_each_message_once():
    # With two definitions of one message, which one the reader sees depends on the compiler.
    import collections
    from pathlib import Path

    import polib

    catalogue = polib.pofile(str(Path(__file__).parents[2] / "locale/fa/LC_MESSAGES/django.po"))
    defined = collections.Counter((entry.msgctxt, entry.msgid) for entry in catalogue)

    assert [message for message, times in defined.items() if times > 1] == []
