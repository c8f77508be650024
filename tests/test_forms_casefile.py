"""The case file (案卷) PDF: cover, contents with page numbers, documents, evidence index."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from forms.casefile import IssuedDocument, build_casefile, page_count
from forms.render import RenderRequest, render, render_many
from tests.test_forms_sample import sample_context


def _page_text(pdf: Path, page: int) -> str:
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, check=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def test_casefile_has_cover_contents_documents_and_evidence_index(tmp_path: Path) -> None:
    ctx = sample_context()
    decision = render("penalty_decision", ctx, number="龙八综执罚决〔2026〕第12号", copies=["副本"])
    inquiry = render("inquiry_record", ctx)
    docs = [IssuedDocument("询问（调查）笔录", inquiry, None, "2026-10-10"),
            IssuedDocument("行政处罚决定书", decision, "龙八综执罚决〔2026〕第12号", "2026-11-02")]
    pdf = build_casefile(ctx, docs)
    assert build_casefile(ctx, docs) == pdf  # deterministic
    n_inq, n_dec = page_count(inquiry), page_count(decision)
    total = page_count(pdf)
    assert total == 2 + n_inq + n_dec + 1  # cover, contents, documents, one-page evidence index
    p = tmp_path / "case.pdf"
    p.write_bytes(pdf)
    cover, contents = _page_text(p, 1), _page_text(p, 2)
    assert "行政处罚案卷" in cover and "张三露天焚烧秸秆案" in cover and f"{n_inq + n_dec + 1}页" in cover
    first = "1" if n_inq == 1 else f"1-{n_inq}"
    assert "询问（调查）笔录" in contents and first in contents
    assert f"{n_inq + 1}-{n_inq + n_dec}" in contents and "证据目录" in contents
    assert "询问（调查）笔录" in _page_text(p, 3)
    evidence = _page_text(p, total)
    assert "证据目录" in evidence and "a71b22d4" in evidence and "陈静" in evidence


def test_casefile_rendered_as_one_document_has_true_page_ranges_and_embeds_fonts_once(tmp_path: Path) -> None:
    ctx = sample_context()
    number = "龙八综执罚决〔2026〕第12号"
    reqs = [RenderRequest("inquiry_record", ctx), RenderRequest("penalty_decision", ctx, number, copies=["副本"]),
            RenderRequest("service_receipt", ctx)]
    titles = ["询问（调查）笔录", "行政处罚决定书", "送达回证"]
    issued = [render_many([r]) for r in reqs]
    one = build_casefile(ctx, [IssuedDocument(t, pdf, r.number, "2026-11-02", r)
                               for t, pdf, r in zip(titles, issued, reqs, strict=True)])
    merged = build_casefile(ctx, [IssuedDocument(t, pdf, r.number, "2026-11-02")
                                  for t, pdf, r in zip(titles, issued, reqs, strict=True)])
    assert page_count(one) == page_count(merged)
    assert len(one) < len(merged) / 2  # font subsets once for the file, not once per document
    p = tmp_path / "one.pdf"
    p.write_bytes(one)
    contents = _page_text(p, 2)
    start = 1
    for title, pdf in zip([*titles, "证据目录"], [*issued, None], strict=True):
        n = page_count(pdf) if pdf else page_count(one) - 2 - (start - 1)
        rng = str(start) if n == 1 else f"{start}-{start + n - 1}"
        assert re.search(re.escape(title) + r".*?" + re.escape(rng), contents), (title, rng)
        for k in range(n):  # each page in the range belongs to that document, numbered as the file counts
            text = _page_text(p, 2 + start + k)
            assert f"—{start + k}—" in text, (title, k, text[-40:])
            if k == 0:
                assert title in text
        start += n
