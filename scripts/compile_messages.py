"""Compile locale/*/LC_MESSAGES/*.po into .mo files without GNU gettext (which a fresh machine
may lack); polib writes the same binary format as msgfmt."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(
            f"Compiled {po_path.relative_to(ROOT)} ({catalogue.percent_translated()}% translated)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
