"""Numbering after a restore, a copy or a replacement laptop: no 文号 may be issued twice.

A profile restored from a backup (or a copied profile) rewinds its number blocks and would hand out
numbers that were already printed. Once the guard is established (after a confirmed round trip with
the county hub, see ``sync.client.numbering``) every allocation also counts up a witness that lives
OUTSIDE the profile directory (``<data root>/numbering-witness/<profile id>.json``, written after
the commit). When the database and the witness disagree, the profile has been rewound or moved:

* the database's counter is behind the witness → restored from an older copy;
* the witness is missing or belongs to another database → copied or restored onto this machine or
  under another profile name.

A profile put back by ``lishui-desk restore`` is also marked (``numbering_hold``) and held the same
way. Then :func:`check` refuses to allocate until a sync or a USB round trip tells the desktop which
numbers the county has seen used (:func:`raise_floor`) and re-establishes the guard
(:func:`establish`). A profile never enrolled with a hub has no guard (nothing could release it).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select

from lishui_desk.errors import InvalidInput
from lishui_desk.models import NumberBlock, ProfileMeta
from lishui_desk.unit_of_work import UnitOfWork

META_KEY = "numbering_guard"  # {"id": random, "count": allocations since established}
WITNESS_DIR = "numbering-witness"
RESTORE_HOLD_KEY = "numbering_hold"  # set by ``lishui_desk.restore`` on a restored profile
ENROLLED_KEY = "sync.device_id"  # a profile enrolled with a county hub (the only thing that can release a hold)
HELD_REASON = "本档案是从备份恢复的，或是从别处（另一台电脑、另一个档案名）复制来的"


class NumberingHeld(InvalidInput):
    code = "numbering_held"


def witness_path(uow: UnitOfWork) -> Path:
    root = uow.profile.paths.root  # <data root>/profiles/<profile id>
    return root.parent.parent / WITNESS_DIR / f"{root.name}.json"


def _db_state(uow: UnitOfWork) -> dict[str, Any] | None:
    row = uow.session.get(ProfileMeta, META_KEY)
    if row is None or not row.value:
        return None
    try:
        data = json.loads(row.value)
    except ValueError:
        return {"id": "", "count": -1}
    return data if isinstance(data, dict) else {"id": "", "count": -1}


def _witness(uow: UnitOfWork) -> dict[str, Any] | None:
    try:
        data = json.loads(witness_path(uow).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _enrolled(uow: UnitOfWork) -> bool:
    row = uow.session.get(ProfileMeta, ENROLLED_KEY)
    return row is not None and bool(row.value)


def state(uow: UnitOfWork) -> dict[str, Any]:
    """{"guarded": bool, "held": bool, "reason": str | None} for status displays."""
    hold = uow.session.get(ProfileMeta, RESTORE_HOLD_KEY)
    if hold is not None and hold.value == "1" and _enrolled(uow):  # ``lishui-desk restore`` marked it
        return {"guarded": True, "held": True, "reason": HELD_REASON}
    db, w = _db_state(uow), _witness(uow)
    if db is None:
        if w is None:
            return {"guarded": False, "held": False, "reason": None}
        return {"guarded": True, "held": True, "reason": HELD_REASON}
    if w is None or w.get("id") != db.get("id") or int(w.get("count", 0)) > int(db.get("count", 0)):
        return {"guarded": True, "held": True, "reason": HELD_REASON}
    return {"guarded": True, "held": False, "reason": None}


def check(uow: UnitOfWork) -> None:
    """Refuse an allocation while the profile looks rewound or moved; count it otherwise."""
    st = state(uow)
    if not st["guarded"]:
        return
    if st["held"]:
        head = f"暂停编号：{st['reason']}，其中的文号可能已经用过。为避免同一文号用两次，"
        raise NumberingHeld(
            head + "请先在“同步”页与县级平台同步，或导入县级平台的数据包，确认已用的文号后即可继续编号",
            cli_text=head + "请先与县级平台同步（lishui-desk sync now）或导入县级平台的数据包（lishui-desk sync import），"
                            "确认已用的文号后即可继续编号",
        )
    db = _db_state(uow) or {}
    _save(uow, str(db.get("id")), int(db.get("count", 0)) + 1)


def _save(uow: UnitOfWork, guard_id: str, count: int) -> None:
    value = json.dumps({"id": guard_id, "count": count}, sort_keys=True)
    uow.session.merge(ProfileMeta(key=META_KEY, value=value))
    uow.profile._meta_cache.pop(META_KEY, None)
    path = witness_path(uow)

    def write_witness(_session) -> None:  # after COMMIT: a rolled-back allocation never counts
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(value)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    event.listen(uow.session, "after_commit", write_witness, once=True)


def establish(uow: UnitOfWork) -> bool:
    """After a confirmed round trip: a fresh guard for this database at this place. Returns True
    when this lifted a hold."""
    uow.require_write()
    was_held = state(uow)["held"]
    hold = uow.session.get(ProfileMeta, RESTORE_HOLD_KEY)
    if hold is not None:
        uow.session.delete(hold)
        uow.profile._meta_cache.pop(RESTORE_HOLD_KEY, None)
    _save(uow, secrets.token_hex(16), 0)
    return was_held


def raise_floor(uow: UnitOfWork, township_code: str, doc_code: str, year: int,
                used: list[tuple[int, int]]) -> int:
    """Move this device's blocks past numbers the county has seen used (``used``: runs of
    consecutive numbers, first and last): a block's next number goes above the highest used number
    inside its range, and a local block opened later starts above every used number. Returns how
    many blocks moved."""
    uow.require_write()
    if not used:
        return 0
    moved = 0
    blocks = uow.session.scalars(select(NumberBlock).where(
        NumberBlock.township_code == township_code, NumberBlock.doc_code == doc_code,
        NumberBlock.year == year, NumberBlock.provisional.is_(False))).all()
    for b in blocks:
        inside = [min(last, b.last) for first, last in used if first <= b.last and last >= b.first]
        if inside and b.next_seq <= max(inside):
            b.next_seq = max(inside) + 1
            moved += 1
    top = uow.session.scalar(select(func.max(NumberBlock.last)).where(
        NumberBlock.township_code == township_code, NumberBlock.doc_code == doc_code,
        NumberBlock.year == year)) or 0
    highest = max(last for _first, last in used)
    if highest > top:  # numbers used beyond every block this database knows: keep them out of reach
        uow.session.add(NumberBlock(township_code=township_code, doc_code=doc_code, year=year, first=top + 1,
                                    last=highest, next_seq=highest + 1, provisional=False, source="used-elsewhere"))
        moved += 1
    uow.session.flush()
    return moved
