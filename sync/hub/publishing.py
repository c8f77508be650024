"""From a county file to the items of a reference stream (``lishui-county publish STREAM FILE``).

Keys follow the desktop's reference streams: catalog → the township code, definitions → the
document type (version = the definition's own), policy → ``policy``, calendar → the year, roster →
each officer's certificate number. Content is checked by the same validators the desktop applies,
so the hub never signs an item every desktop would refuse.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lishui_desk.errors import InvalidInput
from sync.hub.refs import Publication

PUBLISHABLE = ("catalog", "definitions", "policy", "calendar", "roster")


def _date(value: Any, what: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{what}“{value}”不是日期（YYYY-MM-DD）") from None


def items_from_file(stream: str, content: Any, *, township: str | None = None,
                    effective_from: date | None = None, version: int | None = None) -> list[Publication]:
    if stream not in PUBLISHABLE:
        raise InvalidInput(f"不能发布的数据类别：{stream}")
    if stream == "roster":
        officers = content.get("officers") if isinstance(content, dict) else content
        town = township or (content.get("township_code") if isinstance(content, dict) else None)
        if not isinstance(officers, list) or not officers or not town:
            raise InvalidInput("名册文件应为 {\"township_code\": 乡镇代码, \"officers\": [{\"cert_no\", \"name\", …}]}")
        out = []
        for o in officers:
            if not isinstance(o, dict) or not str(o.get("cert_no", "")).strip():
                raise InvalidInput("名册中每位执法人员都须有执法证号（cert_no）")
            out.append(Publication(key=str(o["cert_no"]).strip(), body={**o, "township_code": town},
                                   township_code=town, effective_from=effective_from))
        return _validated(stream, out)
    if not isinstance(content, dict):
        raise InvalidInput("文件内容应为 JSON 对象")
    if stream == "catalog":
        town = township or content.get("township_code")
        eff = effective_from or _date(content.get("effective_from"), "目录生效日期")
        pubs = [Publication(key=str(town), body=content, version=version, effective_from=eff, township_code=town)]
    elif stream == "definitions":
        if not isinstance(content.get("type"), str) or not isinstance(content.get("version"), int):
            raise InvalidInput("文书定义须有 type 与整数 version")
        if version is not None and version != content["version"]:
            raise InvalidInput("--version 与文书定义中的 version 不一致")
        pubs = [Publication(key=content["type"], body=content, version=content["version"],
                            effective_from=effective_from, township_code=township)]
    elif stream == "policy":
        eff = effective_from or _date(content.get("effective_from"), "政策生效日期")
        if eff is None:
            raise InvalidInput("政策参数必须注明生效日期（--effective-from）")
        pubs = [Publication(key="policy", body=content, version=version, effective_from=eff, township_code=township)]
    else:  # calendar
        if not isinstance(content.get("year"), int):
            raise InvalidInput("节假日安排须注明年份（year）")
        pubs = [Publication(key=str(content["year"]), body=content, version=version, effective_from=effective_from,
                            township_code=township)]
    return _validated(stream, pubs)


def _validated(stream: str, pubs: list[Publication]) -> list[Publication]:
    """The desktop's own checks of each item (``services.reference``); the version a desktop
    compares is the hub's, so a placeholder is used where the hub will assign it."""
    from lishui_desk.services import reference

    for i, pub in enumerate(pubs, start=1):
        item = reference.RefItem(key=pub.key, version=pub.version or 1, effective_from=pub.effective_from,
                                 body=pub.body)
        reference.CHECKS[stream](item, f"{reference.STREAM_LABELS[stream]}第{i}项")
    return pubs
