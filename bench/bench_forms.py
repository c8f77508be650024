"""Benchmarks for documents: one 行政处罚决定书 vs a plain one-page ReportLab PDF, a 50-page case file.

``run()`` returns rows ``{name, value, unit, baseline, ratio, goal}``; ``python -m bench.bench_forms``
prints them. Fonts are loaded before timing (once per process, as in the app).
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from forms.casefile import IssuedDocument, build_casefile, page_count
from forms.fonts import default_fontset
from forms.render import render
from tests.test_forms_sample import sample_context

NUMBER = "龙八综执罚决〔2026〕第12号"


def _best(fn: Any, n: int = 5) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def _plain_page() -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    font = default_fontset().roles["body"].name
    c.setFont(font, 16)
    for i in range(22):
        c.drawString(80, 760 - i * 28.9, "当事人应当自收到本决定书之日起十五日内缴纳罚款。"[: 10 + i % 15])
    c.showPage()
    c.save()
    return buf.getvalue()


def run() -> list[dict[str, Any]]:
    ctx = sample_context()
    default_fontset()
    render("penalty_decision", ctx, number=NUMBER, copies=["正本"])  # warm caches (fonts, widths)
    base_t, plain = _best(_plain_page)
    dec_t, dec = _best(lambda: render("penalty_decision", ctx, number=NUMBER, copies=["正本"]))
    inquiry = render("inquiry_record", ctx)
    docs = []
    pages = 0
    while pages < 48:
        docs.append(IssuedDocument("行政处罚决定书", dec, NUMBER, "2026-11-02"))
        docs.append(IssuedDocument("询问（调查）笔录", inquiry, None, "2026-10-10"))
        pages += page_count(dec) + page_count(inquiry)

    def full_file() -> bytes:
        rendered = [IssuedDocument(d.title, render("penalty_decision", ctx, number=NUMBER, copies=["正本"])
                                   if d.number else render("inquiry_record", ctx), d.number, d.date) for d in docs]
        return build_casefile(ctx, rendered)

    cf_t, cf = _best(full_file, n=2)
    cf_pages = page_count(cf)
    return [
        {"name": "render 行政处罚决定书", "value": round(dec_t * 1000, 1), "unit": "ms",
         "baseline": round(base_t * 1000, 1), "ratio": round(dec_t / base_t, 1), "goal": "≤ 150 ms"},
        {"name": f"case file ({cf_pages} pages, documents rendered + merged)", "value": round(cf_t, 2), "unit": "s",
         "baseline": round(dec_t * cf_pages / page_count(dec), 2), "ratio": round(cf_t / (dec_t * cf_pages / page_count(dec)), 2),
         "goal": "≤ 3 s"},
        {"name": "PDF size 行政处罚决定书", "value": round(len(dec) / 1024, 1), "unit": "KiB",
         "baseline": round(len(plain) / 1024, 1), "ratio": round(len(dec) / len(plain), 1), "goal": "—"},
        {"name": "PDF size case file", "value": round(len(cf) / 1024, 1), "unit": "KiB",
         "baseline": round(len(dec) / 1024 * cf_pages / page_count(dec), 1),
         "ratio": round(len(cf) / (len(dec) * cf_pages / page_count(dec)), 2), "goal": "—"},
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']}: {row['value']} {row['unit']} (baseline {row['baseline']}, ratio {row['ratio']}, "
              f"goal {row['goal']})")
