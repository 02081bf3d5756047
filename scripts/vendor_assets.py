"""Copy the front-end assets the portal serves from node_modules into static/vendor.

Run by `make assets` after `npm ci`; static/vendor is git-ignored, so no third-party code is
committed and nothing is fetched from a CDN at run time.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

# (file in node_modules, name under static/vendor)
ASSETS = [
    # Each with the source map it names: collectstatic's manifest refuses a missing reference.
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    ("bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/bootstrap.min.css.map"),
    ("bootstrap/dist/css/bootstrap.rtl.min.css", "bootstrap/bootstrap.rtl.min.css"),
    ("bootstrap/dist/css/bootstrap.rtl.min.css.map", "bootstrap/bootstrap.rtl.min.css.map"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"),
    ("bootstrap/LICENSE", "bootstrap/LICENSE"),
    ("vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2", "vazirmatn/Vazirmatn-Variable.woff2"),
    ("vazirmatn/OFL.txt", "vazirmatn/OFL.txt"),
    # The sister-city map: country shapes drawn client-side, so no tile server is needed.
    ("d3-array/dist/d3-array.min.js", "d3/d3-array.min.js"),
    ("d3-array/LICENSE", "d3/LICENSE-d3-array"),
    ("d3-geo/dist/d3-geo.min.js", "d3/d3-geo.min.js"),
    ("d3-geo/LICENSE", "d3/LICENSE-d3-geo"),
    ("topojson-client/dist/topojson-client.min.js", "topojson/topojson-client.min.js"),
    ("topojson-client/LICENSE", "topojson/LICENSE"),
    ("world-atlas/countries-110m.json", "world-atlas/countries-110m.json"),
    ("world-atlas/LICENSE", "world-atlas/LICENSE"),
    # The officials' dashboards draw their charts with Chart.js.
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    ("chart.js/dist/chart.umd.min.js.map", "chartjs/chart.umd.min.js.map"),
    ("chart.js/LICENSE.md", "chartjs/LICENSE.md"),
    # The date picker of Persian pages: it shows the Solar Hijri calendar, which the browser's
    # own date input does not know.
    *(
        (f"@majidh1/jalalidatepicker/{name}", f"jalalidatepicker/{name.rsplit('/', 1)[-1]}")
        for name in ("dist/jalalidatepicker.min.js", "dist/jalalidatepicker.min.css", "LICENSE")
    ),
]


def main() -> int:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for source, target in ASSETS:
        source_path, target_path = NODE / source, VENDOR / target
        if not source_path.exists():
            print(f"missing {source_path}: run `npm ci` first", file=sys.stderr)
            return 1
        target_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_path, target_path)
    print(f"Copied {len(ASSETS)} front-end assets into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
