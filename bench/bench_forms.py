"""Benchmarks for documents: one 行政处罚决定书 vs a plain one-page ReportLab PDF, a 50-page case file.

The case file is measured both ways: documents rendered and merged with pypdf (each document keeps
its own font subsets: the old way, now only the fallback) and rendered as one ReportLab document
(fonts embedded once: what ``forms.service.casefile`` does). Both include rendering every document
alone first, as the service does to prove each reprint still matches what was issued.

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
from forms.render import RenderRequest, render
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

    dec_req = RenderRequest("penalty_decision", ctx, NUMBER, copies=["正本"])
    inq_req = RenderRequest("inquiry_record", ctx)

    def rendered() -> list[IssuedDocument]:
        return [IssuedDocument(d.title, render("penalty_decision", ctx, number=NUMBER, copies=["正本"])
                               if d.number else render("inquiry_record", ctx), d.number, d.date,
                               dec_req if d.number else inq_req) for d in docs]

    def merged_file() -> bytes:
        return build_casefile(ctx, [IssuedDocument(d.title, d.pdf, d.number, d.date) for d in rendered()])

    def one_file() -> bytes:
        return build_casefile(ctx, rendered())

    mg_t, mg = _best(merged_file, n=2)
    cf_t, cf = _best(one_file, n=2)
    cf_pages = page_count(cf)
    per_doc = dec_t * cf_pages / page_count(dec)
    return [
        {"name": "render 行政处罚决定书", "value": round(dec_t * 1000, 1), "unit": "ms",
         "baseline": round(base_t * 1000, 1), "ratio": round(dec_t / base_t, 1), "goal": "≤ 150 ms"},
        {"name": f"case file ({cf_pages} pages, one document)", "value": round(cf_t, 2), "unit": "s",
         "baseline": round(mg_t, 2), "ratio": round(cf_t / mg_t, 2), "goal": "≤ 3 s (baseline: merged)"},
        {"name": f"case file ({page_count(mg)} pages, merged)", "value": round(mg_t, 2), "unit": "s",
         "baseline": round(per_doc, 2), "ratio": round(mg_t / per_doc, 2), "goal": "≤ 3 s"},
        {"name": "PDF size 行政处罚决定书", "value": round(len(dec) / 1024, 1), "unit": "KiB",
         "baseline": round(len(plain) / 1024, 1), "ratio": round(len(dec) / len(plain), 1), "goal": "—"},
        {"name": "PDF size case file, one document", "value": round(len(cf) / 1024, 1), "unit": "KiB",
         "baseline": round(len(mg) / 1024, 1), "ratio": round(len(cf) / len(mg), 2), "goal": "baseline: merged"},
        {"name": "PDF size per case-file page, one document", "value": round(len(cf) / 1024 / cf_pages, 1),
         "unit": "KiB", "baseline": round(len(mg) / 1024 / cf_pages, 1), "ratio": round(len(cf) / len(mg), 2),
         "goal": "baseline: merged"},
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']}: {row['value']} {row['unit']} (baseline {row['baseline']}, ratio {row['ratio']}, "
              f"goal {row['goal']})")
