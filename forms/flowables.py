"""ReportLab flowables for documents: CJK text with per-character fonts, seal area, segment marker.

:class:`CJKText` draws text whose characters were each assigned a font by
:meth:`forms.fonts.FontSet.assign` (fallback fonts appear as separate runs in the same line), broken
into lines by :func:`forms.linebreak.break_lines` and justified to the text block (撑满版心) except
for a paragraph's last line. It splits across pages line by line, also inside table cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from forms.linebreak import balanced_lines, break_lines

_WIDTH: dict[tuple[str, str], float] = {}


def char_width(font: str, ch: str) -> float:
    """Advance of ``ch`` in ``font`` at 1 pt (cached)."""
    key = (font, ch)
    w = _WIDTH.get(key)
    if w is None:
        w = pdfmetrics.getFont(font).stringWidth(ch, 1.0)
        _WIDTH[key] = w
    return w


def draw_runs(canv: Any, x: float, y: float, text: str, fonts: Sequence[str], size: float,
              anchor: str = "left", char_space: float = 0.0) -> float:
    """Draw pre-assigned text at baseline ``y``; returns its width."""
    width = sum(char_width(f, c) for f, c in zip(fonts, text, strict=True)) * size
    if anchor == "right":
        x -= width
    elif anchor == "center":
        x -= width / 2
    t = canv.beginText()
    t.setTextOrigin(x, y)
    if char_space:
        t.setCharSpace(char_space)
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or fonts[i] != fonts[start]:
            t.setFont(fonts[start], size)
            t.textOut(text[start:i])
            start = i
    canv.drawText(t)
    return width


class CJKText(Flowable):
    """A paragraph of pre-assigned characters (one font name per character)."""

    def __init__(
        self,
        text: str,
        fonts: Sequence[str],
        size: float,
        leading: float,
        *,
        indent: float = 0.0,
        align: str = "justify",
        justify_last: bool = False,
        space_before: float = 0.0,
        min_lines: int = 1,
        color: tuple[float, float, float] | None = None,
        balanced: bool = False,
        keep_lines: int = 1,
    ) -> None:
        super().__init__()
        if len(fonts) != len(text):
            raise ValueError("one font per character")
        self.text = text
        self.fonts = list(fonts)
        self.size = size
        self.leading = leading
        self.indent = indent
        self.align = align
        self.justify_last = justify_last
        self.spaceBefore = space_before
        self.min_lines = min_lines
        self.color = color
        self.balanced = balanced  # title lines: balanced 梯形 break instead of a greedy fill
        # layout 3: at least this many lines of the paragraph on each side of a page break (no
        # lone "无误。" at the top of a page, no single first line at the foot of one)
        self.keep_lines = keep_lines
        self.widths = [char_width(f, c) * size for f, c in zip(self.fonts, text, strict=True)]
        self._lines: list[tuple[int, int]] = []
        self._aw = 0.0

    def _layout(self, aw: float) -> None:
        if aw != self._aw or not self._lines:
            self._aw = aw
            if self.balanced and not self.indent:
                self._lines = balanced_lines(self.text, self.widths, aw) or [(0, 0)]
            else:
                self._lines = break_lines(self.text, self.widths, aw, aw - self.indent) or [(0, 0)]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._layout(availWidth)
        self.width = availWidth
        self.height = max(len(self._lines), self.min_lines) * self.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._layout(availWidth)
        fit = int((availHeight + 1e-6) // self.leading)
        if self.keep_lines > 1 and fit < len(self._lines):
            fit = min(fit, len(self._lines) - self.keep_lines)
            if fit < self.keep_lines:
                return []
        if fit <= 0:
            return []
        if fit >= len(self._lines):
            if fit < self.min_lines:
                # the text fits but the cell's minimum height does not: split off the blank tail,
                # ReportLab's table splitter cannot handle a one-element split
                return [CJKText(self.text, self.fonts, self.size, self.leading, indent=self.indent,
                                align=self.align, justify_last=self.justify_last, space_before=self.spaceBefore,
                                min_lines=fit, color=self.color),
                        CJKText("", [], self.size, self.leading, min_lines=self.min_lines - fit, color=self.color)]
            return [self]
        cut = self._lines[fit][0]
        first = CJKText(self.text[:cut], self.fonts[:cut], self.size, self.leading, indent=self.indent,
                        align=self.align, justify_last=True, space_before=self.spaceBefore, color=self.color)
        rest_lines = max(1, self.min_lines - fit)
        second = CJKText(self.text[cut:], self.fonts[cut:], self.size, self.leading, indent=0.0,
                         align=self.align, justify_last=self.justify_last, min_lines=rest_lines, color=self.color,
                         keep_lines=self.keep_lines)
        second.keepWithNext = getattr(self, "keepWithNext", 0)
        return [first, second]

    def draw(self) -> None:
        canv = self.canv
        if self.color:
            canv.setFillColorRGB(*self.color)
        size, lead = self.size, self.leading
        last = len(self._lines) - 1
        for i, (s, e) in enumerate(self._lines):
            if e <= s:
                continue
            x0 = self.indent if i == 0 else 0.0
            avail = self.width - x0
            lw = sum(self.widths[s:e])
            cs = 0.0
            if self.align == "justify" and (i < last or self.justify_last) and e - s > 1:
                extra = avail - lw
                if 0 < extra < 3 * size:
                    cs = extra / (e - s - 1)
            elif self.align == "center":
                x0 += (avail - lw) / 2
            elif self.align == "right":
                x0 += avail - lw
            baseline = self.height - i * lead - lead / 2 - 0.36 * size
            draw_runs(canv, x0, baseline, self.text[s:e], self.fonts[s:e], size, char_space=cs)


class SealArea(Flowable):
    """Agency name and date right-aligned (右空四字) with the dashed （印章） area over them."""

    def __init__(self, name: tuple[str, list[str]], date: tuple[str, list[str]], label: tuple[str, list[str]],
                 size: float, leading: float, *, compact: bool = False, plain: bool = False) -> None:
        super().__init__()
        self.name, self.date, self.label = name, date, label
        self.size, self.leading = size, leading
        # plain (layout 3): no printed circle or （印章） label — the agency stamps its real seal over
        # its name and date (GB/T 9704 §7.3.5.1); one blank line above them leaves room for its top
        self.plain = plain
        # compact (layout 2, GB/T 9704): the seal's top within one line of the text above, agency
        # name and date below the seal's centre, the circle may reach into the space below; the
        # area takes 36 mm + half a line instead of 44 mm + a line, so it rarely lands alone on a page
        self.compact = compact
        self.spaceBefore = leading / 2 if compact else leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = 3 * self.leading if self.plain else (36 if self.compact else 44) * mm
        return availWidth, self.height

    def draw(self) -> None:
        c = self.canv
        right = self.width - 4 * self.size  # 右空四字
        name_w = sum(char_width(f, ch) for f, ch in zip(self.name[1], self.name[0], strict=True)) * self.size
        date_w = sum(char_width(f, ch) for f, ch in zip(self.date[1], self.date[0], strict=True)) * self.size
        block_w = max(name_w, date_w)
        cx = right - block_w / 2
        if self.plain:
            y = self.height - 1.5 * self.leading - 0.36 * self.size
            draw_runs(c, cx, y, self.name[0], self.name[1], self.size, anchor="center")
            draw_runs(c, cx, y - self.leading, self.date[0], self.date[1], self.size, anchor="center")
            return
        cy = self.height - 21 * mm if self.compact else self.height / 2
        text_y = cy - 3 * mm if self.compact else cy + 2
        c.saveState()
        c.setStrokeGray(0.55)
        c.setDash(3, 3)
        c.setLineWidth(0.6)
        c.circle(cx, cy, 21 * mm, stroke=1, fill=0)
        c.restoreState()
        c.saveState()
        c.setFillGray(0.5)
        draw_runs(c, cx, cy + 12 * mm, self.label[0], self.label[1], 10.5, anchor="center")
        c.restoreState()
        draw_runs(c, cx, text_y, self.name[0], self.name[1], self.size, anchor="center")
        draw_runs(c, cx, text_y - self.leading, self.date[0], self.date[1], self.size, anchor="center")


class SegmentStart(Flowable):
    """Zero-size marker: tells the page decorator which document (copy) the following pages belong to."""

    def __init__(self, segment: Any) -> None:
        super().__init__()
        self.segment = segment
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.lsd_segment = self.segment  # type: ignore[attr-defined]  # render._DeferredCanvas
