"""The table of every guard for ``docs/GUARDS.md``, generated from the rule registry and the action table.

    python -m lishui_desk.procedure.guard_table > docs/GUARDS.md

A test fails when the committed file differs from what this module renders.
"""

from __future__ import annotations

from lishui_desk.policy import LABELS as POLICY_LABELS
from lishui_desk.procedure.actions import ACTIONS
from lishui_desk.procedure.rules import RULES
from lishui_desk.procedure.rules.base import MIXED
from lishui_desk.procedure.types import BLOCK, WARN

_SEVERITY = {BLOCK: "阻止", WARN: "提醒", MIXED: "阻止或提醒（视情形）"}
_UNDECIDED = {BLOCK: "阻止", WARN: "提醒"}

HEADER = """# 办案规则（guards）一览

本表由 `python -m lishui_desk.procedure.guard_table > docs/GUARDS.md` 从规则代码生成，测试保证与代码一致；请勿手工编辑。

- **依据**：规则适用的法律条文；规则适用县级政策参数时，另列政策参数（拒绝时写明政策名称、版本和来源）。
- **处理**：阻止 = 不能进行该操作；提醒 = 可以进行，记录已确认的提醒。
- **日历缺年**：规则所需期限落在未载入节假日安排的年份时，按该年最早和最晚可能的安排判断；两者结论相同即按该结论处理，不同时按本列处理。
- **适用操作**：运行该规则的办案操作（“下一步”预览也运行同一规则）。

| 规则 | 名称 | 依据 | 县级政策参数 | 处理 | 日历缺年 | 检查内容 | 适用操作 |
| --- | --- | --- | --- | --- | --- | --- | --- |
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    used: dict[str, list[str]] = {rid: [] for rid in RULES}
    for spec in ACTIONS.values():
        for rid in spec.rules:
            used.setdefault(rid, []).append(spec.label_zh)
    rows = []
    for rid in sorted(RULES):
        r = RULES[rid]
        policy = "、".join(
            f"`{k.strip()}`（{POLICY_LABELS.get(k.strip(), POLICY_LABELS.get(k.strip().split('.')[0], ''))}）"
            for k in (r.policy_key or "").split(",") if k.strip()
        ) or "—"
        actions = "、".join(used.get(rid) or ["—"])
        rows.append(
            f"| `{rid}` | {_cell(r.title_zh)} | {_cell(r.article)} | {policy} | {_SEVERITY.get(r.severity, r.severity)} "
            f"| {_UNDECIDED.get(r.undecided, r.undecided)} | {_cell(r.checks_zh)} | {actions} |"
        )
    return HEADER + "\n".join(rows) + "\n" + _every_action()


def _every_action() -> str:
    """Rules the engine applies to every action (not in the rule registry)."""
    from lishui_desk.procedure.engine import FORK_ARTICLE, FORK_RULE

    return (
        "\n## 适用于所有办案操作的规则\n\n"
        "| 规则 | 名称 | 依据 | 处理 | 检查内容 |\n| --- | --- | --- | --- | --- |\n"
        f"| `{FORK_RULE}` | 全过程记录为单一链条 | {FORK_ARTICLE} | 阻止 | 同一案件在两台设备上分别记录"
        "（全过程记录分叉）时，分叉处理前不进行任何办案操作；分叉由本乡镇负责人或本案执法人员写明理由后处理"
        "（采用一条分支，或另一条只有检查、询问、证据等记录时两条都保留） |\n"
    )


if __name__ == "__main__":
    print(render(), end="")
