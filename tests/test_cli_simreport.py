"""`rosbill simulate`'s report on the example month: the bills table agrees with the invoice mails of the same run,
nightly warnings are folded, --csv and --html are written, and unwritable report files are refused before the run."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest

from generator.cli import main

INVOICE = re.compile(r"Invoice:\s+(\S+)\n.*?Period:\s+(\S+)\n.*?Data used:\s+(\d+) MB.*?Amount due\s+R (\S+)", re.S)


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> tuple[str, Path, Path]:
    folder = tmp_path_factory.mktemp("report")
    page, table = folder / "report.html", folder / "bills.csv"
    capture = pytest.MonkeyPatch()
    out = io.StringIO()
    capture.setattr(sys, "stdout", out)
    try:
        assert main(["simulate", "--html", str(page), "--csv", str(table)]) == 0
    finally:
        capture.undo()
    return out.getvalue(), page, table


def test_the_table_agrees_with_the_invoice_mails_of_the_run(month):
    out, _, table = month
    mailed = {m.group(1): (m.group(2), m.group(3), m.group(4)) for m in INVOICE.finditer(out.replace("| ", ""))}
    assert len(mailed) == 5
    rows = list(csv.DictReader(table.open(newline="")))
    assert {r["invoice"]: (r["period"], r["mb_used"], r["amount_due"]) for r in rows} == mailed
    assert all(r["user_mail_delivered"] == "yes" and r["currency"] == "R" for r in rows)
    shown = [ln for ln in out.splitlines() if ln.startswith("# 2026-11 ")]
    assert len(shown) == 5 and any(re.search(r"\bcat\s+Business\s+\d+\s+EW-\d+\s+899\.00\s+89\.90\s+809\.10", ln)
                                   for ln in shown)  # fmt: skip
    due = sum(float(r["amount_due"]) for r in rows)
    (total,) = [ln for ln in out.splitlines() if ln.startswith("# total 2026-11")]
    assert f"{due:.2f}" in total and "5 bills" in total and "5 of 5" in total
    assert out.rstrip().endswith("0 script errors")


def test_nightly_warnings_are_shown_once_and_folded_with_their_count(month):
    out, _, _ = month
    warning = "warning: rosbill: UsageWarnings: skipped fay: broken comment"
    assert sum(1 for ln in out.splitlines() if "LOG" in ln and warning in ln) == 1
    (folded,) = [ln for ln in out.splitlines() if ln.startswith("#   ") and warning in ln]
    assert re.match(r"#   29x 2026-11-01 to 2026-11-29  ", folded)


def test_the_html_page_has_the_rows_and_a_chart_per_user(month):
    _, page, table = month
    text = page.read_text()
    assert text.count('<tr class="bill">') == len(table.read_text().splitlines()) - 1 == 5
    assert text.count('<figure class="chart"') == 8  # every fixture user, November
    assert "<script" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_report_file_that_cannot_be_written_is_refused_before_the_run(tmp_path, capsys):
    assert main(["simulate", "--brief", "--html", str(tmp_path / "no" / "such" / "r.html")]) == 2
    assert "--html" in capsys.readouterr().err
    assert main(["simulate", "--brief", "--csv", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
