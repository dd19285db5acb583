"""The HTML report of `rosbill simulate --html` in a real headless browser: Debian's Chromium driven by Playwright.

The page from a real simulated month is opened from disk with the network watched: it must fetch nothing, show one
table row per bill plus the total, and draw a visible chart per user (laid out side by side, not on top of each
other), whose screenshot has the usage line's and the cap line's colours in it.

Chromium comes from Debian (`apt-get install chromium`; .ci/run installs it), Playwright from PyPI (the dev extra);
`playwright install` needs the internet, so the test drives /usr/bin/chromium. Where either is missing locally the
test is skipped saying which. ``ROSBILL_UPDATE_SCREENSHOT=1`` also writes docs/report.png (shown in the README).
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
USAGE_BLUE = (0x1F, 0x6F, 0xD1)  # .usage stroke in generator/simreport_html.py
CAP_RED = (0xC0, 0x39, 0x2B)  # .cap stroke


def pixels(png: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and RGB pixels of an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(png):
        (length,), kind = struct.unpack(">I", png[pos : pos + 4]), png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            chunks.append(data)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "a PNG layout this reader does not decode"
    step = 3 if colour == 2 else 4
    raw, stride, out = zlib.decompress(b"".join(chunks)), width * step, []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b, c = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        out.extend(tuple(line[i : i + 3]) for i in range(0, stride, step))
        previous = line
    return width, height, out


def near(colour: tuple[int, int, int], pixel: tuple[int, int, int], slack: int = 40) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(colour, pixel, strict=True))


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'")
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which("chromium")):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run installs it in CI)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    page = tmp_path_factory.mktemp("html") / "report.html"
    assert main(["simulate", "--brief", "--html", str(page)]) == 0
    return page


def test_the_report_renders_its_table_and_charts_in_chromium(browser, report):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    assert requested == [report.as_uri()]  # self-contained: nothing else is fetched

    bills = page.locator("#bills tbody tr.bill")
    assert bills.count() == 5
    assert bills.nth(0).locator("td").all_inner_texts()[1:5] == ["ann", "Lite", "2820", "EW-10002"]
    total = page.locator("#bills tbody tr.total td").all_inner_texts()
    assert total[0] == "total 2026-11" and total[1] == "5 bills" and total[-1] == "5 of 5"
    table_box = page.locator("#bills").bounding_box()
    assert table_box is not None and table_box["width"] > 400 and table_box["height"] > 6 * 15

    charts = page.locator("figure.chart")
    assert charts.count() == 8
    boxes = [charts.nth(i).locator("svg").bounding_box() for i in range(8)]
    assert all(b is not None and b["width"] >= 600 and b["height"] >= 200 for b in boxes)
    corners = {(round(b["x"]), round(b["y"])) for b in boxes if b is not None}
    assert len(corners) == 8  # laid out, not stacked on one spot
    ann = page.locator('figure.chart[data-user="ann"]')
    line = ann.locator("polyline.usage").bounding_box()
    assert line is not None and line["width"] > 400 and line["height"] > 100  # rises over the month
    assert ann.locator("line.level").count() == 3 and ann.locator("line.cap").count() == 1

    width, height, shot = pixels(ann.screenshot())
    blue = sum(1 for p in shot if near(USAGE_BLUE, p))
    red = sum(1 for p in shot if near(CAP_RED, p))
    blank = sum(1 for p in shot if p == (255, 255, 255))
    assert blue > 300 and red > 300, (blue, red)
    assert blank < width * height  # not a blank picture
    if os.environ.get("ROSBILL_UPDATE_SCREENSHOT"):
        page.screenshot(path=str(ROOT / "docs" / "report.png"), full_page=True)
    page.close()


def test_the_pixel_reader_reads_what_chromium_writes(browser):
    page = browser.new_page(viewport={"width": 40, "height": 20})
    page.set_content('<body style="margin:0;background:#c0392b"></body>')
    width, height, shot = pixels(page.screenshot())
    assert (width, height) == (40, 20) and all(near(CAP_RED, p, 2) for p in shot)
    page.close()
