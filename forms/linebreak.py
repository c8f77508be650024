"""CJK line breaking (禁则): the one place that decides where a line of a document may end.

Rules, applied to a greedy fill of the line:

* a closing punctuation mark (``，；：。、）》！？」』”’`` and ASCII ``,;:.)!?``…) never starts a line;
* an opening mark (``（《「『“‘`` and ASCII ``([``) never ends a line;
* a run of ASCII letters/digits (an ID number, a licence plate, an amount) is not cut in two when
  it can move whole to the next line (a run longer than half a line is cut anyway).

When the greedy break is forbidden, characters are pushed to the next line (推出) — the line stays
inside the text block and is justified by the renderer. If pushing would empty the line (a line
made only of forbidden characters) the greedy break is kept, so the algorithm always progresses.

:func:`install_reportlab_rules` extends ReportLab's own kinsoku tables (``reportlab.lib.textsplit``
and the copy imported by ``reportlab.platypus.paragraph``) with the same characters, for any
ReportLab ``Paragraph`` with ``wordWrap='CJK'`` used elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

CANNOT_START = frozenset(
    "，；：。、）》！？」』”’〕】〉｝］…‥·—～％‰℃"
    ",;:.)]}!?%"
    "\u3001\u3002\uff0c\uff1b\uff1a\uff01\uff1f\uff09\u300b\u300d\u300f\u201d\u2019"
)
CANNOT_END = frozenset("（《「『“‘〔【〈｛［([{¥￥$")

_FUZZ = 1e-6


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_/@.,%")


def break_lines(
    text: str,
    widths: Sequence[float],
    width: float,
    first_width: float | None = None,
) -> list[tuple[int, int]]:
    """Split ``text`` (one paragraph, no newlines) into lines; returns ``(start, end)`` index pairs.

    ``widths[i]`` is the advance of ``text[i]``; ``first_width`` is the first line's width when a
    first-line indent applies. A leading ASCII space of a continuation line is dropped.
    """
    n = len(text)
    if len(widths) != n:
        raise ValueError("widths must match text")
    lines: list[tuple[int, int]] = []
    start = 0
    while start < n:
        if lines and text[start] == " ":
            start += 1
            continue
        avail = first_width if (first_width is not None and not lines) else width
        used = 0.0
        i = start
        while i < n and used + widths[i] <= avail + _FUZZ:
            used += widths[i]
            i += 1
        if i >= n:
            lines.append((start, n))
            break
        if i == start:  # a single character wider than the line: place it anyway
            i = start + 1
        brk = _adjust(text, start, i)
        lines.append((start, brk))
        start = brk
    return lines


def _forbidden(text: str, b: int) -> bool:
    return text[b] in CANNOT_START or text[b - 1] in CANNOT_END


def _adjust(text: str, start: int, brk: int) -> int:
    """Move the break ``brk`` (index of the next line's first char) back to an allowed position."""
    b = brk
    while b > start + 1 and _forbidden(text, b):
        b -= 1
    if _forbidden(text, b):
        b = brk  # cannot satisfy the rule on this line: keep the greedy break
    # keep ASCII words whole when the word is short enough to move
    if _is_word_char(text[b - 1]) and _is_word_char(text[b]):
        w = b
        limit = start + (brk - start) // 2
        while w > limit and _is_word_char(text[w - 1]):
            w -= 1
        while w > limit and text[w - 1] in CANNOT_END:  # take "¥" or "〔" along with the run
            w -= 1
        if w > limit and w > start and not _forbidden(text, w):
            b = w
    return b


_OPEN_PAIRS = {"（": "）", "《": "》", "〔": "〕", "“": "”", "(": ")"}


def _inside_brackets(text: str) -> list[bool]:
    """``inside[b]``: a break before ``text[b]`` would cut a bracketed phrase such as （听证）."""
    inside = [False] * (len(text) + 1)
    stack: list[str] = []
    for i, ch in enumerate(text):
        inside[i] = bool(stack)
        if ch in _OPEN_PAIRS:
            stack.append(_OPEN_PAIRS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
    return inside


def balanced_lines(text: str, widths: Sequence[float], width: float) -> list[tuple[int, int]]:
    """Break a title (标题回行) into the fewest lines of nearly equal width (GB/T 9704 梯形/菱形).

    Each line fits ``width``; no line is a single orphan character; breaks obey the 禁则 above and
    avoid cutting an ASCII run or a bracketed phrase; among equally balanced choices the longer line
    comes first. A title that fits on one line is one line.
    """
    n = len(text)
    if len(widths) != n:
        raise ValueError("widths must match text")
    total = sum(widths)
    if n == 0 or total <= width + _FUZZ:
        return [(0, n)]
    inside = _inside_brackets(text)

    def penalty(b: int) -> float:
        if _forbidden(text, b):
            return 1e6
        p = 0.0
        if _is_word_char(text[b - 1]) and _is_word_char(text[b]):
            p += 1e4
        if inside[b]:
            p += 1e3
        return p

    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    k = max(2, -int(-total // width))
    while k <= n:
        target = total / k
        # best[j][i]: (cost, breaks) for the first i characters in j lines
        inf = (float("inf"), ())
        best: list[list[tuple[float, tuple[int, ...]]]] = [[inf] * (n + 1) for _ in range(k + 1)]
        best[0][0] = (0.0, ())
        for j in range(1, k + 1):
            for i in range(2 * j, n + 1):
                for s in range(2 * (j - 1), i - 1):
                    prev_cost, prev_breaks = best[j - 1][s]
                    if prev_cost == float("inf"):
                        continue
                    w = prefix[i] - prefix[s]
                    if w > width + _FUZZ:
                        continue
                    cost = prev_cost + (w - target) ** 2 + (penalty(i) if i < n else 0.0)
                    if prev_breaks:  # the longer line first: a later line longer than its predecessor costs
                        p0 = prev_breaks[-2] if len(prev_breaks) > 1 else 0
                        prev_w = prefix[s] - prefix[p0]
                        if w > prev_w + _FUZZ:
                            cost += (w - prev_w) * target
                    if cost < best[j][i][0]:
                        best[j][i] = (cost, (*prev_breaks, i))
        cost, breaks = best[k][n]
        if cost < float("inf"):
            starts = (0, *breaks[:-1])
            return list(zip(starts, breaks, strict=True))
        k += 1
    return break_lines(text, widths, width)


def naive_break_lines(text: str, widths: Sequence[float], width: float) -> list[tuple[int, int]]:
    """Greedy fill without any rule (only used by tests and benchmarks as a reference)."""
    lines: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for i, w in enumerate(widths):
        if used + w > width + _FUZZ and i > start:
            lines.append((start, i))
            start, used = i, 0.0
        used += w
    if start < len(text):
        lines.append((start, len(text)))
    return lines


_installed = False


def install_reportlab_rules() -> None:
    """Extend ReportLab's CJK kinsoku tables with our characters (idempotent)."""
    global _installed
    if _installed:
        return
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra_start = "".join(sorted(c for c in CANNOT_START if c not in textsplit.ALL_CANNOT_START))
    extra_end = "".join(sorted(c for c in CANNOT_END if c not in textsplit.ALL_CANNOT_END))
    # ReportLab's tables are module globals (lists at run time; the stubs call them Final sequences)
    textsplit.CANNOT_START_LINE[0] = textsplit.CANNOT_START_LINE[0] + extra_start  # type: ignore[index]
    textsplit.ALL_CANNOT_START = textsplit.ALL_CANNOT_START + extra_start  # type: ignore[misc]
    textsplit.CANNOT_END_LINE[0] = textsplit.CANNOT_END_LINE[0] + extra_end  # type: ignore[index]
    textsplit.ALL_CANNOT_END = textsplit.ALL_CANNOT_END + extra_end  # type: ignore[misc]
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START  # type: ignore[attr-defined]
    _installed = True
