"""The layers of docs/architecture.md hold: import-linter checks the contracts in pyproject.toml
(what composes the apps above the apps, the apps one way, the shared helpers below them all; only
the apps and what composes them import an app; no import cycle but a service and its task)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["diplomacy_portal", "citizens", "sistercities", "initiatives", "proposals", "opendata"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, ROOT / "pyproject.toml", "--no-cache"],
        cwd=tree,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


def test_the_code_keeps_every_layer_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module, line, reported",
    [
        # An app importing against the direction.
        ("citizens/wrong_way.py", "import sistercities.models", "citizens.wrong_way -> sist"),
        ("citizens/wrong_way.py", "import initiatives.services", "citizens.wrong_way -> init"),
        ("initiatives/wrong_way.py", "from sistercities import tables", "initiatives.wrong_way"),
        # A city's page may show accepted proposals only through what composes the apps.
        ("sistercities/wrong_way.py", "import proposals.models", "sistercities.wrong_way -> pro"),
        ("initiatives/wrong_way.py", "from proposals import services", "initiatives.wrong_way"),
        # An app importing the open data API, which publishes them.
        ("sistercities/wrong_way.py", "import opendata.selectors", "sistercities.wrong_way -> o"),
        # An app importing what composes the apps.
        ("citizens/wrong_way.py", "from diplomacy_portal import urls", "wrong_way -> diplomacy"),
        # A shared helper importing an app, or what composes the apps.
        ("diplomacy_portal/l10n.py", "import citizens.roles", "diplomacy_portal.l10n -> citi"),
        ("diplomacy_portal/exports.py", "from diplomacy_portal import urls", "exports -> dipl"),
        # A module of the project package that composes nothing importing an app.
        ("diplomacy_portal/tasks.py", "import initiatives.models", "diplomacy_portal.tasks"),
        # A cycle that is not a service and its task.
        ("initiatives/access.py", "from initiatives.services import meetings", "in initiatives"),
    ],
)
def test_an_import_against_the_layers_breaks_a_contract(copy_of_the_code, module, line, reported):
    path = copy_of_the_code / module
    path.write_text(f"{path.read_text() if path.exists() else ''}\n{line}\n")

    result = lint_imports(copy_of_the_code)

    assert result.returncode != 0
    broken = " ".join(result.stdout.split("Broken contracts")[1].split())
    assert reported in broken
