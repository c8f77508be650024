"""The one validation layer at the edge of the core (输入校验).

Everything a user, a script or a file hands to a service passes here before the procedure engine
sees it, and before anything is written to the append-only record: what is refused here never
reaches the record, so it never has to be "refused at print time" later. Each refusal is an
``InvalidInput`` with a Chinese sentence naming the field (by its form label) and the limit.

- structure: nesting depth, number of values, key length — a payload nested 100,000 deep or with a
  million keys is refused without recursion;
- text: no lone surrogates (cannot be stored as UTF-8), no control characters other than line
  breaks and tabs in free text, no bidirectional overrides or zero-width characters (they make
  a printed name read differently from the stored one), single-line fields without line breaks,
  per-field length limits;
- numbers: no NaN/infinity, integers and amounts within sane bounds (``1e30`` yuan is refused
  here instead of overflowing ``Decimal`` in the engine);
- dates: ISO dates within a plausible window around the working date (no ``0001-01-01``, no
  ``9999-12-31``, no procedure step dated months ahead); legal order of dates stays with the guards;
- files: JSON payload files must be UTF-8 (a BOM is accepted, GBK is named), without duplicate
  keys; passphrase files likewise (the BOM is never part of the passphrase); evidence files must
  not be empty, must fit the size limit, and a file named like a photo must be an image.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lishui_desk.errors import InvalidInput
from lishui_desk.limits import MAX_TEXT

MAX_DEPTH = 8
MAX_VALUES = 5000
MAX_KEY_LEN = 64
MAX_PAYLOAD_FILE_BYTES = 4 * 1024 * 1024
MAX_PASSPHRASE_FILE_BYTES = 4096
MAX_AMOUNT = Decimal("10000000000")  # 100 亿元: above any fine a township can impose
MAX_INT = 10**13
MAX_EVIDENCE_BYTES = 4 * 1024**3  # one video of a long 询问 fits; a whole disk does not
SHORT_TEXT = {  # single-line fields and their limits (characters)
    "name": 100, "place": 200, "address": 300, "phone": 40, "legal_representative": 100,
    "id_number": 40, "credit_code": 40, "title": 200, "signed_by": 100, "keeper": 100,
    "case_number": 100, "decision_number": 100, "township_code": 20, "item_code": 40, "kind": 40,
    "start_time": 10, "end_time": 10, "form": 40,
}
# dates that may lie ahead of the working date (a hearing is scheduled, a deadline is set)
FUTURE_DATES = {"deadline": 3 * 366, "hearing_on": 366, "to": 366, "cert_valid_until": 20 * 366}
EARLIEST_DATE = date(1950, 1, 1)  # violation dates of long-continuing acts
PROCEDURE_YEARS = 10  # a procedure step more than 10 years before the working date is not real
_VIOLATION_DATES = {"violation_date", "violation_end_date", "discovered_date", "birth_date"}

_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E}
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")


def _invisible(cp: int) -> bool:
    return (cp < 0x20 or 0x7F <= cp <= 0x9F or cp in _BIDI or cp in _ZERO_WIDTH or 0xD800 <= cp <= 0xDFFF
            or cp in (0x2028, 0x2029))


def visible(text: str) -> str:
    """Text safe to show on a terminal or in a message: control, bidirectional, zero-width and
    surrogate code points written as ``\\uXXXX`` (an ESC must not drive the terminal, an RTL
    override must not reorder the line, a lone surrogate must not crash the output)."""
    return "".join(ch if ch in "\n\t" or not _invisible(ord(ch)) else f"\\u{ord(ch):04x}" for ch in text)


def check_text(value: str, where: str, *, multiline: bool = True, limit: int = MAX_TEXT) -> str:
    """Refuse characters that cannot be stored, printed or read back as typed."""
    if len(value) > limit:
        raise InvalidInput(f"“{where}”过长（{len(value)} 字），最多 {limit} 字")
    for ch in value:
        cp = ord(ch)
        if 0xD800 <= cp <= 0xDFFF:
            raise InvalidInput(f"“{where}”含有无法保存的字符（孤立的代理码位 U+{cp:04X}），请重新输入")
        if cp in _BIDI:
            raise InvalidInput(f"“{where}”含有文字方向控制符（U+{cp:04X}），会使打印内容与录入内容不一致，请删除")
        if cp in _ZERO_WIDTH:
            raise InvalidInput(f"“{where}”含有看不见的零宽字符（U+{cp:04X}），请删除后重新输入")
        if ch in "\n\r\t":
            if not multiline and ch != "\t":
                raise InvalidInput(f"“{where}”应为一行文字，不能换行")
            continue
        if cp < 0x20 or 0x7F <= cp <= 0x9F or cp in (0x2028, 0x2029):
            raise InvalidInput(f"“{where}”含有控制字符（U+{cp:04X}），请删除后重新输入")
        if (cp & 0xFFFE) == 0xFFFE or 0xFDD0 <= cp <= 0xFDEF:
            raise InvalidInput(f"“{where}”含有非字符码位（U+{cp:04X}）")
    return value


def check_date(value: str, where: str, name: str, today: date) -> None:
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return  # not a date at all: the engine names the field and the format
    ahead = FUTURE_DATES.get(name, 1)  # one day of slack for a step recorded around midnight
    if name in _VIOLATION_DATES:
        earliest = EARLIEST_DATE
    else:
        earliest = date(today.year - PROCEDURE_YEARS, 1, 1)
    latest = today + timedelta(days=ahead)
    if d < earliest:
        raise InvalidInput(f"“{where}”的日期 {d.isoformat()} 不合理：不应早于 {earliest.isoformat()}")
    if d > latest:
        raise InvalidInput(
            f"“{where}”的日期 {d.isoformat()} 不合理：晚于当前工作日期 {today.isoformat()}"
            + ("" if ahead <= 1 else f" {ahead} 天以上"))


def check_number(value: Any, where: str) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidInput(f"“{where}”不是有效数字")
        if abs(value) > MAX_INT:
            raise InvalidInput(f"“{where}”数值过大")
    elif isinstance(value, int) and abs(value) > MAX_INT:
        raise InvalidInput(f"“{where}”数值过大")


def check_amount(value: Any, where: str) -> None:
    """Money as text or integer: bounded before the engine quantises it."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return  # wrong type: the engine names it
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return
    if amount.is_finite() and abs(amount) > MAX_AMOUNT:
        raise InvalidInput(f"“{where}”金额 {value} 超出合理范围（最多 {MAX_AMOUNT:,} 元）")


def _field_kinds(action: str | None) -> tuple[dict[str, str], dict[str, str]]:
    from lishui_desk.procedure.actions import ACTIONS

    spec = ACTIONS.get(action) if action else None
    if spec is None:
        return {}, {}
    return {f.name: f.kind for f in spec.fields}, {f.name: f.label_zh for f in spec.fields}


def check_payload(payload: Any, *, today: date, action: str | None = None) -> dict[str, Any]:
    """Walk a payload (iteratively: no recursion limit to hit) and refuse hostile values."""
    if not isinstance(payload, dict):
        raise InvalidInput("办案数据应为 JSON 对象（键值对）")
    kinds, labels = _field_kinds(action)
    labels = {"name": "名称", "address": "地址", "phone": "电话", "id_number": "证件号码", **labels}
    stack: list[tuple[Any, int, str, str]] = [(payload, 1, "", "")]
    count = 0
    while stack:
        value, depth, name, where = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise InvalidInput(f"办案数据过大：超过 {MAX_VALUES} 项")
        if depth > MAX_DEPTH:
            raise InvalidInput(f"办案数据嵌套过深（超过 {MAX_DEPTH} 层）")
        if isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(k, str):
                    raise InvalidInput("办案数据的字段名应为文字")
                shown = visible(k[:20])
                check_text(k, f"字段名 {shown}", multiline=False, limit=MAX_KEY_LEN)
                label = labels.get(k, shown) if depth == 1 else f"{where}·{labels.get(k, shown)}"
                stack.append((v, depth + 1, k, label))
        elif isinstance(value, list | tuple):
            for v in value:
                stack.append((v, depth + 1, name, where))
        elif isinstance(value, str):
            limit = SHORT_TEXT.get(name, MAX_TEXT)
            check_text(value, where or name, multiline=name not in SHORT_TEXT, limit=limit)
            kind = kinds.get(name) if depth == 2 else None
            if kind == "date" or name in FUTURE_DATES or name.endswith(("_on", "_date")) or name in ("from", "to"):
                check_date(value.strip(), where or name, name, today)
            if kind == "money" or name in ("amount", "quantity", "fine", "late_fee"):
                check_amount(value, where or name)
        elif isinstance(value, int | float):
            check_number(value, where or name)
            if kinds.get(name) == "money" and depth == 2:
                check_amount(value, where or name)
        elif value is not None:
            raise InvalidInput(f"“{where or name}”的值类型不受支持")
    return payload


def check_place(place: str | None) -> str | None:
    if place is None:
        return None
    if not isinstance(place, str):
        raise InvalidInput("“地点”应为文字")
    return check_text(place, "地点", multiline=False, limit=SHORT_TEXT["place"])


# --- files -------------------------------------------------------------------------------------


def _decode_utf8(raw: bytes, what: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        raise InvalidInput(f"{what}不是 UTF-8 编码{hint}：请用记事本“另存为”并选择 UTF-8 编码") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise InvalidInput(f"JSON 中字段“{visible(k[:40])}”出现了两次，无法确定以哪个为准")
        out[k] = v
    return out


def parse_json_payload(raw: bytes, what: str) -> dict[str, Any]:
    """UTF-8 JSON object, no duplicate keys, no pathological nesting, bounded size."""
    if len(raw) > MAX_PAYLOAD_FILE_BYTES:
        raise InvalidInput(f"{what}过大（{len(raw)} 字节），最多 {MAX_PAYLOAD_FILE_BYTES} 字节")
    text = _decode_utf8(raw, what)
    depth = 0
    for ch in text:  # cheap pre-check: the JSON parser itself recurses per level
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH * 4:
                raise InvalidInput(f"{what}嵌套过深（超过 {MAX_DEPTH} 层）")
        elif ch in "]}":
            depth -= 1
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates,
                          parse_constant=lambda c: _refuse_constant(c, what))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{what}不是有效的 JSON：第 {exc.lineno} 行 {exc.msg}") from None
    except RecursionError:
        raise InvalidInput(f"{what}嵌套过深") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{what}应为 JSON 对象")
    return data


def _refuse_constant(name: str, what: str) -> Any:
    raise InvalidInput(f"{what}含有非标准数值 {name}")


def read_passphrase_file(path: str | Path) -> str:
    """A passphrase from a file: UTF-8 (BOM dropped), one line, the line end is not part of it."""
    try:
        raw = Path(path).read_bytes()[: MAX_PASSPHRASE_FILE_BYTES + 1]
    except OSError as exc:
        raise InvalidInput(f"无法读取口令文件 {path}：{exc.strerror}") from None
    if len(raw) > MAX_PASSPHRASE_FILE_BYTES:
        raise InvalidInput(f"口令文件 {path} 过大：应只含一行口令")
    text = _decode_utf8(raw, f"口令文件 {path} ").rstrip("\r\n")
    if "\n" in text or "\r" in text:
        raise InvalidInput(f"口令文件 {path} 应只含一行口令")
    return unicodedata.normalize("NFC", text)


def check_evidence_file(path: Path, mime: str) -> int:
    """Size of an evidence file after refusing an empty, oversize or mislabelled one."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput(f"无法读取证据文件 {path.name}：{exc.strerror}") from None
    if size == 0:
        raise InvalidInput(f"证据文件 {path.name} 是空文件（0 字节），请检查拍摄或扫描是否完成")
    if size > MAX_EVIDENCE_BYTES:
        raise InvalidInput(f"证据文件 {path.name} 过大（{size / 1024**3:.1f} GiB），单个文件最多 4 GiB")
    if mime.startswith("image/"):
        with path.open("rb") as fh:
            head = fh.read(16)
        webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        heic = head[4:8] == b"ftyp"
        if not (head.startswith(_IMAGE_MAGIC) or webp or heic):
            raise InvalidInput(f"证据文件 {path.name} 的扩展名表明是照片，但内容不是图片：请选择原始照片文件")
    return size
