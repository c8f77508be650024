"""Input that used to crash the program or slip into the append-only record, each driven through
the real command line on a copy of the demo profile: every one is refused with a Chinese message
(exit 2, no traceback), writes no event, and the record still verifies. Then hypothesis throws
hostile JSON files and strings at the CLI and the services."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from lishui_desk.cli import main
from lishui_desk.edge import CaseDesk, read
from lishui_desk.errors import DeskError, InvalidInput
from lishui_desk.services.integrity import check_profile
from lishui_desk.storage.profile import counts, open_profile
from tests.conftest import DEMO_PW

STACKING = "331101003000"  # 街道两侧堆放物料 (八都镇)
PARTY = {"kind": "individual", "name": "叶建国", "id_number": "11010519491231002X", "address": "龙泉市八都镇八都村12号"}
LEAD = {"lead_on": "2026-11-20", "source": "巡查发现", "summary": "主街堆放木料", "item_code": STACKING,
        "party": PARTY, "violation_date": "2026-11-20"}


@pytest.fixture(scope="module")
def world(demo_template, tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("inputs") / "root"
    shutil.copytree(demo_template, root)
    os.environ["LISHUI_DESK_PASSPHRASE"] = DEMO_PW
    prof = open_profile("demo", DEMO_PW, root=root)
    svc = CaseDesk(prof)
    lead = svc.register_lead(LEAD)
    prof.close()
    yield root, lead
    os.environ.pop("LISHUI_DESK_PASSPHRASE", None)


def _events(root: Path) -> int:
    prof = open_profile("demo", DEMO_PW, root=root)
    try:
        return counts(prof)["events"]
    finally:
        prof.close()


def _cli(root: Path, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main([*args, "--data-dir", str(root)])
    out = capsys.readouterr()
    return code, out.out + out.err


def _refused(root: Path, capsys, tmp_path: Path, raw: bytes, *step: str) -> str:
    before = _events(root)
    f = tmp_path / "p.json"
    f.write_bytes(raw)
    code, out = _cli(root, capsys, *(step or ("case", "create")), "--payload", str(f))
    assert code == 2, out
    assert "错误" in out and not out.isascii()
    assert _events(root) == before
    return out


def _lead_with(**changes) -> bytes:
    party = {**PARTY, **changes.pop("party", {})}
    return json.dumps({**LEAD, **changes, "party": party}).encode()


def test_structure_and_encoding_attacks(world, capsys, tmp_path):
    root, _lead = world
    assert "嵌套过深" in _refused(root, capsys, tmp_path, b"[" * 100_000 + b"]" * 100_000)
    assert "嵌套过深" in _refused(root, capsys, tmp_path, b'{"a":' * 100_000 + b"1" + b"}" * 100_000)
    assert "GBK" in _refused(root, capsys, tmp_path, json.dumps(LEAD, ensure_ascii=False).encode("gbk"))
    dup = b'{"lead_on": "2026-11-20", "lead_on": "2026-11-21", "source": "\xe5\xb7\xa1\xe6\x9f\xa5\xe5\x8f\x91\xe7\x8e\xb0"}'
    assert "出现了两次" in _refused(root, capsys, tmp_path, dup)
    assert "NaN" in _refused(root, capsys, tmp_path, b'{"lead_on": NaN}')


@pytest.mark.parametrize(("name", "why"), [
    ("\ud800", "代理码位"), ("叶\x00建国", "控制字符"), ("叶\x1b[2J建国", "控制字符"),
    ("\u202e国建叶", "方向控制符"), ("叶\u200b建国", "零宽"), ("叶\ufeff建国", "零宽"), ("叶建\n国", "一行"),
])
def test_hostile_characters_in_a_party_name(world, capsys, tmp_path, name, why):
    root, _lead = world
    raw = json.dumps({**LEAD, "party": {**PARTY, "name": name}}).encode()  # ASCII escapes, like a script
    assert why in _refused(root, capsys, tmp_path, raw)


@pytest.mark.parametrize(("changes", "why"), [
    ({"lead_on": "0001-01-01"}, "不应早于"), ({"lead_on": "9999-12-31"}, "晚于当前工作日期"),
    ({"lead_on": "2027-06-14"}, "晚于当前工作日期"), ({"violation_date": "1900-02-01"}, "不应早于"),
])
def test_absurd_dates_on_a_lead(world, capsys, tmp_path, changes, why):
    root, _lead = world
    assert why in _refused(root, capsys, tmp_path, _lead_with(**changes))


def test_absurd_step_dates_amounts_and_places(world, capsys, tmp_path):
    root, lead = world
    step = ("case", "step", lead, "file_case")
    filed = {"item_code": STACKING, "violation_date": "2026-11-20", "facts": "堆放木料", "officer_ids": []}
    assert "不应早于" in _refused(root, capsys, tmp_path, json.dumps({**filed, "filed_on": "1900-11-20"}).encode(), *step)
    assert "晚于" in _refused(root, capsys, tmp_path, json.dumps({**filed, "filed_on": "2027-06-14"}).encode(), *step)
    review = {"requested_on": "2026-11-25", "proposed_outcome": "给予行政处罚", "amount": "1e30"}
    assert "金额" in _refused(root, capsys, tmp_path, json.dumps(review).encode(), "case", "step", lead,
                              "request_legal_review")
    before = _events(root)
    f = tmp_path / "ok.json"
    f.write_text(json.dumps({"inspected_on": "2026-11-21", "findings": "现场"}), "utf-8")
    code, out = _cli(root, capsys, "case", "step", lead, "record_inspection", "--payload", str(f),
                     "--place", "八" * 1_000_000)
    assert code == 2 and "地点" in out and "过长" in out
    code, out = _cli(root, capsys, "case", "list", "--search", "\x1b[31m")
    assert code == 2 and "控制字符" in out
    assert _events(root) == before


def test_passphrase_files_with_bom_or_gbk(world, capsys, tmp_path, monkeypatch):
    root, _lead = world
    monkeypatch.delenv("LISHUI_DESK_PASSPHRASE")
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + DEMO_PW.encode() + b"\r\n")  # Notepad's UTF-8 with BOM
    code, out = _cli(root, capsys, "info", "--passphrase-file", str(bom))
    assert code == 0, out
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("丽水口令二〇二六".encode("gbk"))
    code, out = _cli(root, capsys, "info", "--passphrase-file", str(gbk))
    assert code == 2 and "UTF-8" in out and "Traceback" not in out


def test_empty_mislabelled_or_oversize_evidence_is_refused_before_storing(world, tmp_path):
    root, lead = world
    prof = open_profile("demo", DEMO_PW, root=root)
    try:
        svc = CaseDesk(prof)
        blobs, before = prof.evidence.list_ids(), counts(prof)["events"]
        empty = tmp_path / "empty.jpg"
        empty.write_bytes(b"")
        fake = tmp_path / "scene.jpg"
        fake.write_bytes(b"MZ\x90\x00 this is an executable, not a photo" * 10)
        huge = tmp_path / "huge.mp4"
        with huge.open("wb") as fh:  # sparse: no disk used
            fh.truncate(4 * 1024**3 + 1)
        for path, why in ((empty, "空文件"), (fake, "不是图片"), (huge, "过大")):
            with pytest.raises(InvalidInput, match=why):
                svc.add_evidence_file(lead, path, "视听资料", "现场照片")
        real = tmp_path / "ok.png"
        Image.new("RGB", (4, 4)).save(real)
        with pytest.raises(InvalidInput, match="零宽"):
            svc.add_evidence_file(lead, real, "视听资料", "现场\u200b照片")
        assert prof.evidence.list_ids() == blobs and counts(prof)["events"] == before
        assert read(prof, check_profile).ok
    finally:
        prof.close()


hostile_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec=None, categories=("Cc", "Cf", "Cs", "Co", "Zl", "Zp")), max_size=8),
    st.sampled_from(["\ud800", "\u202e", "\x00", "\x1b[0m", "A" * 300, "1e30", "9999-12-31", "0001-01-01",
                     "-1", "NaN", "Infinity"]),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**40, 10**40), st.floats(), hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=8)
def _encode(text: str, enc: str) -> bytes:
    try:
        return text.encode(enc, "surrogatepass")  # lone surrogates kept where the codec can
    except UnicodeEncodeError:
        return text.encode(enc, "replace")


files = st.one_of(
    st.binary(max_size=200),
    st.builds(lambda d: json.dumps(d, ensure_ascii=True, allow_nan=True).encode(),
              st.dictionaries(st.sampled_from([*sorted(LEAD), "party", "x"]), json_values, max_size=6)),
    st.builds(lambda d, enc: _encode(json.dumps({**LEAD, **d}, ensure_ascii=False), enc),
              st.dictionaries(st.sampled_from(sorted(LEAD)), hostile_text, max_size=3),
              st.sampled_from(["utf-8", "utf-16", "gb18030", "utf-8-sig"])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=files)
def test_fuzz_cli_payload_files(world, capsys, tmp_path, raw):
    root, lead = world
    f = tmp_path / "fuzz.json"
    f.write_bytes(raw)
    for args in (("case", "create"), ("case", "step", lead, "record_inspection")):
        capsys.readouterr()
        code = main([*args, "--payload", str(f), "--data-dir", str(root)])  # an exception fails the test
        out = capsys.readouterr()
        assert code in (0, 2, 3), (code, out.err)
        if code == 2:
            assert out.err.startswith("错误：") and not out.err.isascii()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["summary", "lead_on", "violation_date", "party", "source"]), value=json_values,
       place=st.one_of(st.none(), hostile_text))
def test_fuzz_service_entry_points(world, field, value, place):
    root, lead = world
    prof = open_profile("demo", DEMO_PW, root=root)
    try:
        svc = CaseDesk(prof)
        before = counts(prof)["events"]
        try:
            svc.register_lead({**LEAD, field: value}, place=place)
        except DeskError as exc:
            assert exc.message and not exc.message.isascii()
            assert counts(prof)["events"] == before
        try:
            svc.perform(lead, "record_inspection", {"inspected_on": value, "findings": value}, place=place)
        except DeskError as exc:
            assert exc.message and not exc.message.isascii()
    finally:
        prof.close()


def test_record_still_verifies_after_all_of_it(world, capsys):
    root, _lead = world
    code, out = _cli(root, capsys, "check")
    assert code == 0, out
