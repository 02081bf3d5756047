"""The benchmark's outputs: the console table, the targets checked, and the chart."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PAGES = [
    "trivial",
    "trivial_signed_in",
    "home",
    "cities",
    "city",
    "initiatives",
    "proposals",
    "api_cities",
    "api_initiatives",
    "dashboard",
    "dashboard_city",
    "admin_applications",
    "me",
    "inbox",
]
DASHBOARDS = {"dashboard", "dashboard_city"}
# Issue 21's floors: each page's requests/s as a ratio to the trivial view in the same run.
FLOORS = {
    "home": 0.4,
    "cities": 0.4,
    "city": 0.4,
    "initiatives": 0.4,
    # Rendered for each reader (not kept in the cache like the lists above): a page of twenty
    # with their cities and counts of support.
    "proposals": 0.3,
    # The API's lists, as the public pages they publish.
    "api_cities": 0.4,
    "api_initiatives": 0.4,
    "dashboard": 0.3,
    "dashboard_city": 0.3,
    "me": 0.2,
    "inbox": 0.2,
    "admin_applications": 0.1,
}
MAX_UNCACHED_P95_MS = 500
MIN_FANOUT_RATIO = 0.6
MAX_QUERIES = 10
MAX_RSS_MB = 300


def targets(results: dict) -> list[dict]:
    """Each floor of issue 21, met or not (None: not measured in this run)."""
    checks = []
    for name, page in results["pages"].items():
        if name == "trivial":
            continue
        if name in FLOORS:
            floor = FLOORS[name]
            ratio = page.get("ratio")
            checks.append(
                {
                    "target": f"{name}: ≥ {floor} × trivial rps",
                    "value": ratio,
                    "met": None if ratio is None else ratio >= floor,
                }
            )
        if name in DASHBOARDS and results["scale"] == "full":
            p95 = page.get("uncached_p95_ms")
            checks.append(
                {
                    "target": f"{name}: uncached p95 ≤ {MAX_UNCACHED_P95_MS} ms",
                    "value": p95,
                    "met": None if p95 is None else p95 <= MAX_UNCACHED_P95_MS,
                }
            )
        queries = [page.get("queries_small"), page.get("queries_full")]
        measured = [q for q in queries if q is not None]
        checks.append(
            {
                "target": f"{name}: queries ≤ {MAX_QUERIES} and the same at both scales",
                "value": queries,
                "met": None
                if not measured
                else (max(measured) <= MAX_QUERIES and (None in queries or len(set(queries)) == 1)),
            }
        )
    fan = results.get("fanout") or {}
    checks.append(
        {
            "target": f"fan-out ≥ {MIN_FANOUT_RATIO} × no-op task rate",
            "value": fan.get("ratio"),
            "met": None if fan.get("ratio") is None else fan["ratio"] >= MIN_FANOUT_RATIO,
        }
    )
    checks.append(
        {
            "target": "no message sent twice",
            "value": fan.get("duplicates"),
            "met": None if fan.get("duplicates") is None else fan["duplicates"] == 0,
        }
    )
    for role, mb in (results.get("memory_mb") or {}).items():
        checks.append(
            {
                "target": f"{role} process RSS < {MAX_RSS_MB} MB",
                "value": mb,
                "met": None if mb is None else mb < MAX_RSS_MB,
            }
        )
    return checks


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(results: dict) -> str:
    lines = [
        f"Benchmark at {results['scale']} scale, {results['date']}, commit {results['commit']}",
        "",
        "| page | req/s | p50 ms | p95 ms | ratio | ratio signed in | queries (small) "
        "| queries (full) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in PAGES:
        page = results["pages"].get(name, {})
        row = [
            name,
            _fmt(page.get("rps")),
            _fmt(page.get("p50_ms")),
            _fmt(page.get("p95_ms")),
            _fmt(page.get("ratio"), 2),
            _fmt(page.get("ratio_signed_in"), 2),
            _fmt(page.get("queries_small")),
            _fmt(page.get("queries_full")),
        ]
        if page.get("note"):
            row[0] += f" ({page['note']})"
        lines.append("| " + " | ".join(row) + " |")
    fan = results.get("fanout") or {}
    memory = results.get("memory_mb") or {}
    lines += [
        "",
        "| background work | figure |",
        "|---|---:|",
        f"| no-op tasks/s (ceiling) | {_fmt(fan.get('noop_rate'))} |",
        f"| fan-out: {_fmt(fan.get('messages'))} e-mails in s | {_fmt(fan.get('seconds'))} |",
        f"| fan-out e-mails/s | {_fmt(fan.get('rate'))} |",
        f"| fan-out ratio to the ceiling | {_fmt(fan.get('ratio'), 2)} |",
        f"| duplicates at the SMTP server | {_fmt(fan.get('duplicates'))} |",
        f"| peak RSS, web / worker process (MB) | {_fmt(memory.get('web'))} / "
        f"{_fmt(memory.get('worker'))} |",
    ]
    return "\n".join(lines)


def target_lines(checks: list[dict]) -> str:
    marks = {True: "met", False: "MISSED", None: "not measured"}
    return "\n".join(f"  {marks[c['met']]:>12}  {c['target']} ({c['value']})" for c in checks)


def _font(size: int):
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def chart(results: dict, path: Path) -> None:
    """Bars: each page's requests/s as a ratio to the trivial view, then the fan-out's rate
    as a ratio to the no-op tasks'; the dashed lines are issue 21's floors."""
    rows = [(name, results["pages"].get(name, {}).get("ratio")) for name in PAGES]
    fan = results.get("fanout") or {}
    rows.append(("fan-out / no-op", fan.get("ratio")))
    width, left, bar_h, gap, top = 900, 210, 26, 10, 60
    scale_w = width - left - 80
    height = top + len(rows) * (bar_h + gap) + 50
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font, small = _font(15), _font(12)
    draw.text(
        (20, 15),
        f"Requests/s relative to the trivial view — {results['scale']} scale, "
        f"{results['date'][:10]}, {results['commit']}",
        fill="black",
        font=font,
    )
    for target, colour in (
        (0.1, "#7f8c8d"),
        (0.2, "#c0392b"),
        (0.3, "#e67e22"),
        (0.4, "#d4ac0d"),
        (0.6, "#8e44ad"),
        (1.0, "#555"),
    ):
        x = left + int(scale_w * target)
        for y in range(top - 10, height - 40, 8):
            draw.line([(x, y), (x, y + 4)], fill=colour)
        draw.text((x - 10, height - 35), f"{target:g}", fill=colour, font=small)
    for index, (name, ratio) in enumerate(rows):
        y = top + index * (bar_h + gap)
        draw.text((20, y + 5), name, fill="black", font=font)
        if ratio is None:
            draw.text((left + 5, y + 5), "not measured", fill="#888", font=small)
            continue
        colour = "#2c7fb8" if name != "fan-out / no-op" else "#31a354"
        draw.rectangle([left, y, left + int(scale_w * min(ratio, 1.2)), y + bar_h], fill=colour)
        draw.text(
            (left + int(scale_w * min(ratio, 1.2)) + 6, y + 5),
            f"{ratio:.2f}",
            fill="black",
            font=small,
        )
    image.save(path)


def main(argv: list[str]) -> int:
    """Print a results file's table as Markdown (docs/benchmark.md): python -m bench.report FILE"""
    import json

    results = json.loads(Path(argv[0]).read_text())
    print(table(results) + "\n\nFloors (issue 21):\n" + target_lines(results["targets"]))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
