"""CJK line breaking (forms.linebreak): closing punctuation never starts a line."""

from __future__ import annotations

from forms.linebreak import CANNOT_END, CANNOT_START, break_lines, install_reportlab_rules, naive_break_lines


def _w(text: str) -> list[float]:
    return [16.0 if ord(c) > 0x2E80 else 8.0 for c in text]


def test_comma_is_kept_off_line_start_where_naive_break_puts_it() -> None:
    # 10 characters per line: the 11th character is "，", so a naive break starts line 2 with it
    text = "当事人在八都镇竹垟村村口，露天焚烧秸秆约二百平方米。执法人员到场后（现场），当事人自行将明火扑灭！" * 3
    widths = _w(text)
    naive = naive_break_lines(text, widths, 160.0)
    assert any(text[s] in CANNOT_START for s, _e in naive[1:]), "test text must trip the naive breaker"
    lines = break_lines(text, widths, 160.0)
    assert "".join(text[s:e] for s, e in lines) == text
    for s, e in lines:
        assert sum(widths[s:e]) <= 160.0 + 1e-6
    for s, _e in lines[1:]:
        assert text[s] not in CANNOT_START
    for _s, e in lines[:-1]:
        assert text[e - 1] not in CANNOT_END


def test_opening_bracket_moves_to_next_line() -> None:
    text = "一二三四五六七八九《行政处罚法》第七十二条"
    lines = break_lines(text, _w(text), 160.0)
    assert text[lines[0][1] - 1] != "《"
    assert text[lines[1][0]] == "《"


def test_ascii_number_is_not_cut() -> None:
    text = "身份证件号码：11010519491231002X，住址"
    lines = break_lines(text, _w(text), 16 * 10)
    joined = ["".join(text[s:e]) for s, e in lines]
    assert any("11010519491231002X" in line for line in joined)


def test_first_line_indent_and_progress_on_all_punctuation() -> None:
    text = "，，，，，，，，，，，，，，，，，，，，，，"
    lines = break_lines(text, _w(text), 80.0, 48.0)
    assert "".join(text[s:e] for s, e in lines) == text
    assert lines[0][1] == 3  # indented first line holds three characters


def test_reportlab_tables_extended_once() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    install_reportlab_rules()
    install_reportlab_rules()
    for ch in "，；：》！？":
        assert ch in textsplit.ALL_CANNOT_START and ch in paragraph.ALL_CANNOT_START
    assert textsplit.ALL_CANNOT_START.count("，") == 1
    assert "《" in textsplit.ALL_CANNOT_END


def test_amounts_and_years_move_whole_with_their_opening_mark():
    from forms.linebreak import break_lines

    for text in ("当事人应当缴纳罚款¥300.00元", "决定书文号为龙八综执罚决〔2026〕第12号"):
        widths = [1.0] * len(text)
        for width in range(8, len(text)):
            lines = break_lines(text, widths, float(width))
            pieces = [text[a:b] for a, b in lines]
            assert "".join(pieces) == text
            for token in ("¥300.00", "〔2026〕"):
                if token in text and len(token) <= width // 2:
                    assert any(token in p for p in pieces), (width, pieces)


def test_balanced_title_lines_longer_first_no_orphan_brackets_whole() -> None:
    from forms.linebreak import balanced_lines

    def cut(text: str, per_line: int) -> list[str]:
        return [text[a:b] for a, b in balanced_lines(text, [1.0] * len(text), float(per_line))]

    assert cut("行政处罚决定书", 20) == ["行政处罚决定书"]  # fits: one line
    two = cut("丽水市莲都区紫金街道办事处综合行政执法大队", 20)  # 20 + 1 greedy -> 11 + 10
    assert "".join(two) == "丽水市莲都区紫金街道办事处综合行政执法大队" and [len(s) for s in two] == [11, 10]
    assert cut("行政处罚事先（听证）告知书", 8) == ["行政处罚事先", "（听证）告知书"]  # bracket kept whole
    three = cut("一" * 41, 20)
    assert len(three) == 3 and all(len(s) >= 2 for s in three) and [len(s) for s in three] == sorted(
        (len(s) for s in three), reverse=True)
    assert all(not s.startswith(("，", "。")) for s in cut("关于张三，李四。王五的处罚决定书与告知书", 10))
