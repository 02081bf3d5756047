"""Which release of the portal runs, for the names of what it keeps in the cache."""

import subprocess
from pathlib import Path

# Where neither RELEASE nor a checkout names one.
UNNAMED = "unnamed"


def git_commit(folder: Path) -> str:
    """The commit checked out in `folder`, or "" where there is no git or no checkout (an
    image built without its history)."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""
