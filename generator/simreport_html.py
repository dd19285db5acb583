"""``rosbill simulate --html FILE``: the report as one self-contained page (inline CSS and SVG, no scripts, no external
resources), so it opens from a mail attachment or an offline disk as it does anywhere.

Must not: print, exit or fetch anything; every text that reaches the page goes through :func:`html.escape`.
"""

from __future__ import annotations

import html

from generator.simreport import COLUMNS, Report, Series, megabytes, rows, text

_W, _H = 640, 220  # chart size in px
_LEFT, _RIGHT, _TOP, _BOTTOM = 88, 16, 16, 28

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 24px; color: #1b1b1b; background: #fff; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #c8c8c8; padding: 4px 8px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; background: #f1f1f1; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; border: 1px solid #dcdcdc; padding: 8px; }
figcaption { font-size: 13px; margin-bottom: 4px; }
svg text { font-size: 11px; fill: #444; }
.usage { fill: none; stroke: #1f6fd1; stroke-width: 2; }
.cap { stroke: #c0392b; stroke-width: 2; }
.level { stroke: #e08e0b; stroke-width: 1; stroke-dasharray: 4 3; }
.axis { stroke: #888; stroke-width: 1; }
pre { font-size: 12px; background: #f7f7f7; padding: 8px; }
"""


def page(report: Report) -> str:
    """The whole page: the bills table with totals, a usage chart per user and period, and the folded log lines."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(report.title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{_e(report.title)}</h1>",
        "<h2>Bills</h2>",
        _table(report),
        "<h2>Usage per user</h2>",
        '<div class="charts">',
        *(_chart(s) for s in report.series),
        "</div>",
    ]
    repeated = [line.removeprefix("# ") for line in text(report) if line.startswith("#   ")]
    if repeated:
        parts += ["<h2>Log lines logged more than once</h2>", f"<pre>{_e(chr(10).join(repeated))}</pre>"]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def _table(report: Report) -> str:
    if not report.bills:
        return '<p id="no-bills">No bills were made in this run.</p>'
    money = f" ({_e(report.currency)})" if report.currency else ""
    head = "".join(f"<th>{_e(c)}{money if c in ('price', 'discount', 'amount due') else ''}</th>" for c in COLUMNS)
    body = []
    for r in rows(report):
        total = r[0].startswith("total")
        cells = "".join(f'<td class="n">{_e(c)}</td>' if i in (3, 5, 6, 7) else f"<td>{_e(c)}</td>" for i, c in
                        enumerate(r))  # fmt: skip
        body.append(f'<tr class="{"total" if total else "bill"}">{cells}</tr>')
    return f'<table id="bills"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _chart(s: Series) -> str:
    """Usage (MB) over the period as a line, the cap as a red line and each warning level as a dashed line."""
    days = max(1, _days_in(s.period))
    top = max([used for _, used in s.points] + ([s.cap_bytes] if s.cap_bytes else []) + [1])
    top = int(top * 1.1)
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(moment_day: float) -> float:
        return _LEFT + plot_w * (moment_day / days)

    def y(used: int) -> float:
        return _TOP + plot_h * (1 - used / top)

    pts = [(x(at.day - 1 + (at.hour * 3600 + at.minute * 60 + at.second) / 86400), y(used)) for at, used in s.points]
    line = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
    cap = _cap_text(s.cap_bytes) if s.cap_known else "cap unknown"
    used = megabytes(s.points[-1][1]) if s.points else "0"
    out = [
        f'<figure class="chart" data-user="{_e(s.user)}" data-period="{_e(s.period)}">',
        f"<figcaption>{_e(s.user)}, {_e(s.period)}: {_e(s.package or 'package unknown')}, "
        f"{_e(cap)}, used {used} MB</figcaption>",
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-label="usage of {_e(s.user)} in {_e(s.period)}">',
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_W - _RIGHT}" y2="{_TOP + plot_h}"/>',
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}"/>',
        f'<text x="{_LEFT - 6}" y="{_TOP + 4}" text-anchor="end">{megabytes(top)} MB</text>',
        f'<text x="{_LEFT - 6}" y="{_TOP + plot_h}" text-anchor="end">0</text>',
        f'<text x="{_LEFT}" y="{_H - 8}">day 1</text>',
        f'<text x="{_W - _RIGHT}" y="{_H - 8}" text-anchor="end">day {days}</text>',
    ]
    if s.cap_bytes:
        for level in s.levels:
            at = s.cap_bytes * level // 100
            if at != s.cap_bytes and at <= top:
                out.append(f'<line class="level" x1="{_LEFT}" y1="{y(at):.1f}" x2="{_W - _RIGHT}" y2="{y(at):.1f}"/>')
                out.append(f'<text x="{_W - _RIGHT - 2}" y="{y(at) - 3:.1f}" text-anchor="end">{level}%</text>')
        cy = float(round(y(s.cap_bytes)))  # a 2 px line on whole pixels: crisp, not two faint rows
        out.append(f'<line class="cap" x1="{_LEFT}" y1="{cy:.1f}" x2="{_W - _RIGHT}" y2="{cy:.1f}"/>')
        out.append(f'<text x="{_LEFT + 4}" y="{cy - 3:.1f}">cap {megabytes(s.cap_bytes)} MB</text>')
    out.append(f'<polyline class="usage" points="{line}"/>')
    out += ["</svg>", "</figure>"]
    return "\n".join(out)


def _cap_text(cap: int | None) -> str:
    return "unlimited" if cap is None else f"cap {megabytes(cap)} MB"


def _days_in(period: str) -> int:
    year, _, month = period.partition("-")
    if not (year.isdigit() and month.isdigit()) or not 1 <= int(month) <= 12:
        return 31
    y, m = int(year), int(month)
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
