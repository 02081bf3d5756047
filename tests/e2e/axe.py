"""axe-core (bundled by axe-playwright-python) on a page open in Playwright."""

from axe_playwright_python.base import AXE_SCRIPT

OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def load(tab) -> None:
    """Put axe in the page (again after each navigation)."""
    tab.evaluate(AXE_SCRIPT)


def violations(tab, exclude: str = "") -> list[str]:
    """WCAG 2.1 A and AA violations on the page, leaving out what `exclude` matches."""
    scope = {"exclude": [[exclude]] if exclude else []}
    results = tab.evaluate("([scope, options]) => axe.run(scope, options)", [scope, OPTIONS])
    return [
        f"axe {violation['id']}: {violation['help']} ("
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        + ")"
        for violation in results["violations"]
    ]
