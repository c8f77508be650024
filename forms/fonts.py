"""Font resolution by role, per-character cmap check and fallback (字体).

Roles (GB/T 9704 usage):

* ``title``   — 2号小标宋 / 黑体 class, the document title and the agency name line;
* ``body``    — 3号仿宋 class, all running text;
* ``kai``     — 楷体 class, second-level headings "（一）";
* ``heading`` — 黑体 class, first-level headings "一、" and table labels;
* ``song``    — 宋体 class, page numbers "— N —" (GB/T 9704: 4号半角宋体); not part of the
  fallback chain's front, so adding it changes no other text's font.

Each role is resolved from installed TrueType fonts (``glyf`` outlines; ReportLab cannot embed
CFF/OpenType-PostScript fonts, so those are skipped) by an ordered candidate list: Windows fonts
first (simfang, simhei, simkai, simsun), then Linux packages (LXGW WenKai, AR PL UKai/UMing,
WenQuanYi Zen Hei / Micro Hei). An explicit setting ``{role: path}`` (``path`` or ``path#index``
for a TrueType collection) wins over the search.

:meth:`FontSet.check_text` assigns every character a font: the role's font when its cmap has the
character, otherwise the first fallback font that has it. A character that no resolved font has
raises :class:`MissingGlyph`, naming the character, its ``U+`` code and the field — a penalty
decision never prints a blank or a box. Supplementary-plane characters (e.g. 𠮷 U+20BB7) are
handled like any other. Cmaps are read once per font file and cached for the process.

Qt registration is the GUI's job: :func:`resolved_font_files` lists the files to register.
"""

from __future__ import annotations

import os
import sys
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from lishui_desk.errors import InvalidInput

ROLES = ("title", "body", "kai", "heading", "song")

# Candidate file names per role, in order of preference: (file name, subfont index in a .ttc).
ROLE_CANDIDATES: dict[str, tuple[tuple[str, int], ...]] = {
    "title": (
        ("FZXBSJW.TTF", 0),  # 方正小标宋简体
        ("simhei.ttf", 0),
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
        ("LXGWWenKai-Bold.ttf", 0),
        ("uming.ttc", 0),
    ),
    "body": (
        ("simfang.ttf", 0),
        ("STFANGSO.TTF", 0),
        ("LXGWWenKai-Regular.ttf", 0),
        ("uming.ttc", 0),
        ("ukai.ttc", 0),
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
    ),
    "kai": (
        ("simkai.ttf", 0),
        ("STKAITI.TTF", 0),
        ("ukai.ttc", 0),
        ("LXGWWenKai-Regular.ttf", 0),
        ("uming.ttc", 0),
        ("wqy-zenhei.ttc", 0),
    ),
    "heading": (
        ("simhei.ttf", 0),
        ("STHEITI.TTF", 0),
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
        ("LXGWWenKai-Bold.ttf", 0),
        ("uming.ttc", 0),
    ),
    "song": (
        ("simsun.ttc", 0),  # 宋体 / 新宋体
        ("STSONG.TTF", 0),
        ("uming.ttc", 0),  # AR PL UMing: a Ming (= 宋) face
    ),
}

# Fallback chain tried after the role's own font, in this order.
FALLBACK_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("simsun.ttc", 0),
    ("simsunb.ttf", 0),  # SimSun-ExtB: CJK Extension B (supplementary plane)
    ("mingliub.ttc", 0),
    ("LXGWWenKai-Regular.ttf", 0),
    ("uming.ttc", 0),
    ("ukai.ttc", 0),
    ("wqy-zenhei.ttc", 0),
    ("wqy-microhei.ttc", 0),
    ("simhei.ttf", 0),
    ("simkai.ttf", 0),
    ("simfang.ttf", 0),
    ("DejaVuSans.ttf", 0),
)


_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class MissingGlyph(InvalidInput):
    """No resolved font has a glyph for a character of a field."""

    code = "missing_glyph"

    def __init__(self, char: str, field_name: str) -> None:
        cp = f"U+{ord(char):04X}"
        super().__init__(
            f"字段“{field_name}”中的字符“{char}”（{cp}）在已安装的字体中都没有字形，文书无法正确打印；"
            "请在设置中指定含有该字的字体（如 Windows 的 simsunb.ttf 或 LXGW WenKai），"
            "或按户籍登记核对该字的写法"
        )
        self.char = char
        self.codepoint = cp
        self.field_name = field_name


def font_dirs() -> list[Path]:
    """Directories searched for fonts on this platform (existing ones only)."""
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path("/System/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        dirs += [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            Path.home() / ".local" / "share" / "fonts",
            Path.home() / ".fonts",
        ]
    return [d for d in dirs if d.is_dir()]


@lru_cache(maxsize=4)
def _file_index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Lower-case file name -> first path found (walks the font directories once)."""
    index: dict[str, Path] = {}
    for d in dirs:
        for root, _subdirs, files in os.walk(d):
            for name in sorted(files):
                if name.lower().endswith((".ttf", ".ttc")):
                    index.setdefault(name.lower(), Path(root) / name)
    return index


@dataclass(frozen=True)
class FontFace:
    """One usable TrueType face, registered in ReportLab under ``name``."""

    name: str
    path: str
    index: int
    family: str

    @property
    def cmap(self) -> Mapping[int, int]:
        return _load(self.path, self.index).face.charToGlyph

    def has(self, char: str) -> bool:
        return ord(char) in self.cmap


def _utf16_hex(cp: int) -> str:
    return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()


_rl_make_cmap = ttfonts.makeToUnicodeCMap


def _make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """ReportLab's ToUnicode CMap, with supplementary-plane characters (𠮷 U+20BB7) written as the
    UTF-16 surrogate pair the PDF format requires (ReportLab writes ``%04X``, which breaks text
    extraction, search and copy of such names). Identical output for BMP-only subsets."""
    text = _rl_make_cmap(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return text
    for i, v in enumerate(subset):
        if v > 0xFFFF:
            text = text.replace(f"<{i:02X}> <{v:04X}>", f"<{i:02X}> <{_utf16_hex(v)}>")
    return text


ttfonts.makeToUnicodeCMap = _make_to_unicode_cmap

_lock = threading.Lock()
_loaded: dict[tuple[str, int], TTFont] = {}
_failed: dict[tuple[str, int], str] = {}


def _reg_name(path: str, index: int) -> str:
    stem = "".join(c if c.isalnum() else "_" for c in Path(path).stem)
    return f"LSD-{stem}-{index}"


def _load(path: str, index: int) -> TTFont:
    key = (path, index)
    with _lock:
        font = _loaded.get(key)
        if font is None:
            font = TTFont(_reg_name(path, index), path, subfontIndex=index)
            pdfmetrics.registerFont(font)
            _loaded[key] = font
        return font


def load_face(path: str | os.PathLike[str], index: int = 0) -> FontFace | None:
    """Load (once) a TrueType face; None when the file is missing or not usable (CFF, bad index)."""
    p = str(Path(path))
    key = (p, index)
    if key in _failed:
        return None
    try:
        font = _load(p, index)
    except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
        _failed[key] = str(exc)
        return None
    family = font.face.name
    family = family.decode("latin-1") if isinstance(family, bytes) else str(family)
    return FontFace(font.fontName, p, index, family)


def _parse_setting(value: str | os.PathLike[str] | tuple[str, int]) -> tuple[str, int]:
    if isinstance(value, tuple):
        return str(value[0]), int(value[1])
    text = str(value)
    if "#" in text:
        path, _, idx = text.rpartition("#")
        if idx.isdigit():
            return path, int(idx)
    return text, 0


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn with the same font."""

    font: str
    text: str


@dataclass
class FontSet:
    """Fonts per role plus an ordered fallback chain, with per-character assignment."""

    roles: dict[str, FontFace]
    fallbacks: list[FontFace]
    _cache: dict[tuple[str, str], str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def resolve(
        cls,
        explicit: Mapping[str, str | os.PathLike[str] | tuple[str, int]] | None = None,
        *,
        search: bool = True,
        extra_fallbacks: Sequence[str | os.PathLike[str] | tuple[str, int]] = (),
        dirs: Sequence[Path] | None = None,
    ) -> FontSet:
        """Resolve every role. ``explicit`` (role -> path or ``path#index``) wins over the search.

        ``search=False`` uses only the explicit fonts (a role without one borrows the body font,
        or the first explicit font). Raises InvalidInput when an explicit font is unusable or when
        no CJK TrueType font exists at all.
        """
        explicit = dict(explicit or {})
        for role in explicit:
            if role not in ROLES:
                raise InvalidInput(f"未知的字体角色“{role}”（可用：{'、'.join(ROLES)}）")
        index = _file_index(tuple(dirs if dirs is not None else font_dirs())) if search else {}

        def find(cands: Iterable[tuple[str, int]]) -> FontFace | None:
            for fname, idx in cands:
                path = index.get(fname.lower())
                if path is not None:
                    face = load_face(path, idx)
                    if face is not None:
                        return face
            return None

        roles: dict[str, FontFace] = {}
        for role, value in explicit.items():
            path, idx = _parse_setting(value)
            face = load_face(path, idx) if Path(path).is_file() else None
            if face is None:
                raise InvalidInput(
                    f"设置中为“{role}”指定的字体文件“{path}”不存在或不是可嵌入的 TrueType 字体"
                    "（ReportLab 不支持 CFF/OpenType 轮廓）"
                )
            roles[role] = face
        for role in ROLES:
            if role not in roles and search:
                face = find(ROLE_CANDIDATES[role])
                if face is not None:
                    roles[role] = face
        if not roles:
            raise InvalidInput("未找到可用的中文 TrueType 字体，无法生成执法文书；请安装仿宋/黑体或文泉驿、文楷字体")
        base = roles.get("body") or next(iter(roles.values()))
        for role in ROLES:
            roles.setdefault(role, base)

        extra: list[FontFace] = []
        for value in extra_fallbacks:
            path, idx = _parse_setting(value)
            face = load_face(path, idx)
            if face is None:
                raise InvalidInput(f"备用字体“{path}”不存在或不是可嵌入的 TrueType 字体")
            extra.append(face)
        found: list[FontFace] = []
        if search:
            for fname, idx in FALLBACK_CANDIDATES:
                candidate = index.get(fname.lower())
                if candidate is not None:
                    face = load_face(candidate, idx)
                    if face is not None:
                        found.append(face)
        fallbacks: list[FontFace] = []
        seen: set[tuple[str, int]] = set()
        # the song role (page numbers only) stays out of the front of the chain: body text keeps
        # the fallback order it had before that role existed (reprints stay byte-identical)
        for face in [*(f for r, f in roles.items() if r != "song"), *extra, *found]:
            if (face.path, face.index) not in seen:
                seen.add((face.path, face.index))
                fallbacks.append(face)
        return cls(roles=roles, fallbacks=fallbacks)

    # -- per-character assignment -------------------------------------------------------------
    def font_for(self, char: str, role: str = "body") -> str | None:
        key = (role, char)
        try:
            return self._cache[key]
        except KeyError:
            pass
        cp = ord(char)
        name: str | None = None
        primary = self.roles[role]
        if unicodedata.category(char) in _UNPRINTABLE:
            pass
        elif cp in primary.cmap:
            name = primary.name
        else:
            for face in self.fallbacks:
                if cp in face.cmap:
                    name = face.name
                    break
        self._cache[key] = name
        return name

    def assign(self, text: str, field_name: str, role: str = "body") -> list[str]:
        """Font name per character of ``text``; raises MissingGlyph or InvalidInput."""
        out: list[str] = []
        for ch in text:
            name = self.font_for(ch, role)
            if name is None:
                if unicodedata.category(ch) in _UNPRINTABLE:
                    raise InvalidInput(
                        f"字段“{field_name}”含有不可打印的控制字符（U+{ord(ch):04X}），请删除后重试"
                    )
                raise MissingGlyph(ch, field_name)
            out.append(name)
        return out

    def check_text(self, text: str, field_name: str, role: str = "body") -> list[Run]:
        """Runs of characters with the font that draws them (fallback where the role font lacks one)."""
        names = self.assign(text, field_name, role)
        runs: list[Run] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or names[i] != names[start]:
                runs.append(Run(names[start], text[start:i]))
                start = i
        return runs

    def faces(self) -> list[FontFace]:
        out: list[FontFace] = []
        for f in [*self.roles.values(), *self.fallbacks]:
            if f not in out:
                out.append(f)
        return out


FONTS_ENV = "LISHUI_DESK_FONTS"


def font_settings_path() -> Path:
    """Per-machine font settings (fonts are installed per machine, not per profile)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("lishui-desk", "LishuiDesk")) / "fonts.json"


def explicit_font_settings() -> dict[str, str]:
    """The explicit role fonts: ``LISHUI_DESK_FONTS="body=/path/simfang.ttf;title=/path/simhei.ttf"``
    wins over the settings file written by 设置 / ``lishui-desk doc fonts --set``."""
    env = os.environ.get(FONTS_ENV, "").strip()
    if env:
        out: dict[str, str] = {}
        for part in env.split(";"):
            if not part.strip():
                continue
            role, sep, value = part.partition("=")
            if not sep or not value.strip():
                raise InvalidInput(f"环境变量 {FONTS_ENV} 格式应为“角色=字体文件;…”，无法识别“{part}”")
            out[role.strip()] = value.strip()
        return out
    path = font_settings_path()
    if not path.is_file():
        return {}
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"字体设置文件 {path} 无法读取：{exc}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise InvalidInput(f"字体设置文件 {path} 格式错误：应为 {{\"角色\": \"字体文件\"}}")
    return data


def save_font_settings(settings: Mapping[str, str]) -> Path:
    """Validate (every font must load) and store the explicit role fonts; clears the cache."""
    import json

    FontSet.resolve(dict(settings))  # raises InvalidInput naming an unusable font or role
    path = font_settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(settings), ensure_ascii=False, indent=1), encoding="utf-8")
    default_fontset.cache_clear()
    return path


@lru_cache(maxsize=1)
def default_fontset() -> FontSet:
    """The font set of this machine: explicit settings win, the rest is found by role (cached for
    the process)."""
    return FontSet.resolve(explicit_font_settings())


def resolved_font_files(fontset: FontSet | None = None) -> list[str]:
    """Font files (unique, role fonts first) for the GUI to register with Qt's font database."""
    fs = fontset or default_fontset()
    out: list[str] = []
    for face in fs.faces():
        if face.path not in out:
            out.append(face.path)
    return out


def _gb2312_hanzi() -> tuple[list[str], list[str]]:
    level1: list[str] = []
    level2: list[str] = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            (level1 if hi < 0xD8 else level2).append(ch)
    return level1, level2


def coverage_report(fontset: FontSet | None = None) -> dict:
    """Fonts found, their roles, and hanzi coverage (CJK Unified U+4E00–U+9FFF, GB 2312 levels 1/2)."""
    fs = fontset or default_fontset()
    level1, level2 = _gb2312_hanzi()
    faces = fs.faces()

    def covered(chars: Iterable[int]) -> int:
        return sum(1 for cp in chars if any(cp in f.cmap for f in faces))

    unified = range(0x4E00, 0xA000)
    return {
        "fonts": [
            {
                "family": f.family,
                "path": f.path,
                "index": f.index,
                "roles": [r for r, rf in fs.roles.items() if rf == f],
                "cjk_unified": sum(1 for cp in unified if cp in f.cmap),
            }
            for f in faces
        ],
        "roles": {r: f"{f.family} ({Path(f.path).name}#{f.index})" for r, f in fs.roles.items()},
        "cjk_unified_total": len(unified),
        "cjk_unified_covered": covered(unified),
        "gb2312_level1_total": len(level1),
        "gb2312_level1_covered": covered(ord(c) for c in level1),
        "gb2312_level2_total": len(level2),
        "gb2312_level2_covered": covered(ord(c) for c in level2),
    }


if __name__ == "__main__":  # pragma: no cover - manual check
    import json

    print(json.dumps(coverage_report(), ensure_ascii=False, indent=2))
