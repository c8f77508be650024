"""Shared builders for the procedure scenario tests (no tests here).

Catalog items are the real seed items of 八都镇 (resources/catalog/331181100.json); the fake lookup
makes them effective from 2020 so that limitation scenarios reaching back years can be built.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lishui_desk.catalog_data import load_catalog
from lishui_desk.identity import credit_code_check_char, org_code_check_char, resident_id_check_char
from lishui_desk.policy import Policy
from lishui_desk.procedure import OfficerInfo, PriorCase
from lishui_desk.procedure.simulate import CaseLog, DictCatalog, DictOfficers
from lishui_desk.procedure.types import EngineContext
from lishui_desk.workcal import WorkdayCalendar

TOWN = "331181100"
SEED = load_catalog(TOWN)
ITEMS = {i.code: i for i in SEED.items}
CATALOG = DictCatalog({TOWN: [(date(2020, 1, 1), None, i) for i in SEED.items]})
CAL = WorkdayCalendar.default()
POLICY = Policy.load_default()

# items used by the scenarios
NOISE = "331104001000"  # 高音广播喇叭: 警告、罚款; 公民200–1000, 单位2000–20000
STACKING = "331101003000"  # 街道两侧堆放物料: 罚款 公民200–1000 单位500–3000, 首违不罚
WASTE = "331101015000"  # 建筑垃圾遗撒: 罚款、没收违法所得 (hearing / major decision kinds)
BURNING = "331103003000"  # 露天焚烧沥青等: 涉及生命健康安全
WITHDRAWN = "331104004000"  # 建筑施工噪声: 收回 2026-04-01

OFFICERS = [
    OfficerInfo("o1", "王建", "ZJ-3311-0001", date(2030, 12, 31), "officer"),
    OfficerInfo("o2", "李明", "ZJ-3311-0002", date(2030, 12, 31), "officer"),
    OfficerInfo("o3", "赵过期", "ZJ-3311-0003", date(2024, 6, 30), "officer"),
    OfficerInfo("aux", "陈辅助", None, None, "auxiliary"),
    OfficerInfo("lead", "周队长", "ZJ-3311-0009", date(2030, 12, 31), "leader"),
    OfficerInfo("rev", "吴法制", "ZJ-3311-0010", date(2030, 12, 31), "reviewer", legal_qualification=True),
    OfficerInfo("rev2", "郑审核", "ZJ-3311-0011", date(2030, 12, 31), "reviewer", legal_qualification=False),
]


def resident_id(birth: date, seq: str = "001") -> str:
    first17 = f"331102{birth:%Y%m%d}{seq}"
    return first17 + resident_id_check_char(first17)


def credit_code(org8: str = "MA2A0B1C") -> str:
    first17 = "91331102" + org8 + org_code_check_char(org8)
    return first17 + credit_code_check_char(first17)


def person(birth: date = date(1980, 5, 1), name: str = "张三") -> dict[str, Any]:
    return {"kind": "individual", "name": name, "id_number": resident_id(birth), "address": "龙泉市八都镇八都村1号"}


def company(name: str = "龙泉某建材有限公司") -> dict[str, Any]:
    return {"kind": "organisation", "name": name, "credit_code": credit_code(), "address": "龙泉市八都镇工业区2号",
            "legal_representative": "钱某"}


def ctx(today: date, prior: list[PriorCase] | None = None, policy: Policy | None = None) -> EngineContext:
    return EngineContext(
        today=today, calendar=CAL, policy=policy or POLICY, catalog=CATALOG, officers=DictOfficers(OFFICERS),
        prior_cases=lambda _pid: list(prior or []), township_code=TOWN,
    )


def lead(day: date, item: str = STACKING, party: dict[str, Any] | None = None, violation: date | None = None,
         prior: list[PriorCase] | None = None, policy: Policy | None = None, **extra: Any) -> CaseLog:
    log = CaseLog(ctx(day, prior, policy))
    payload = {"lead_on": day.isoformat(), "source": "巡查发现", "summary": "巡查发现违法行为", "item_code": item,
               "party": party or person(), "violation_date": (violation or day).isoformat(), "officer_ids": ["o1"]}
    payload.update(extra)
    log.do("register_lead", payload, "o1")
    return log


def file_case(log: CaseLog, day: date, **extra: Any) -> CaseLog:
    log.at(day)
    st = log.state
    payload = {"filed_on": day.isoformat(), "case_number": "龙综执八都立〔2025〕1号", "item_code": st.item_code,
               "violation_date": st.violation_date.isoformat(), "facts": "在街道两侧堆放物料",
               "officer_ids": ["o1", "o2"], "approved_by": "lead"}
    payload.update(extra)
    log.do("file_case", payload, "o1")
    log.do("record_inspection", {"inspected_on": day.isoformat(), "place": "八都村", "findings": "现场堆放建材",
                                 "officer_ids": ["o1", "o2"]}, "o1")
    log.do("add_evidence", {"kind": "勘验笔录、现场笔录", "description": "现场检查笔录", "collected_on": day.isoformat(),
                            "sha256": "a" * 64}, "o1")
    return log


def notify(log: CaseLog, issued: date, served: date, kinds: list[str] | None = None, amount: str | None = "500",
           hearing: bool = False, method: str = "直接送达", **extra: Any) -> CaseLog:
    log.at(issued)
    payload: dict[str, Any] = {"issued_on": issued.isoformat(), "kinds": kinds or ["罚款"], "facts": "堆放物料",
                               "basis": "《浙江省城市市容和环境卫生管理条例》", "hearing_right_given": hearing, **extra}
    if amount is not None:
        payload["amount"] = amount
    log.do("issue_notice", payload, "o1")
    log.at(served)
    log.do("serve_notice", {"served_on": served.isoformat(), "method": method, "receiver": "本人"}, "o1")
    return log


def decision(day: date, kinds: list[str] | None = None, amount: str | None = "500", **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "decided_on": day.isoformat(), "outcome": "处罚", "kinds": kinds or ["罚款"], "decision_number": "龙综执八都罚〔2025〕1号",
        "facts": "在街道两侧堆放物料", "evidence_summary": "现场检查笔录、照片", "basis": "《浙江省城市市容和环境卫生管理条例》",
        "payment_method": "到指定银行或电子支付缴纳", "payment_days": 15, "remedies": "六十日内申请行政复议或六个月内提起行政诉讼",
        "agency": "龙泉市八都镇人民政府", "approved_by": "lead",
    }
    if amount is not None:
        payload["amount"] = amount
    payload.update(extra)
    return payload


def rule_ids(violations: list[Any], blocking_only: bool = True) -> set[str]:
    return {v.rule_id for v in violations if v.blocks or not blocking_only}


def find(violations: list[Any], rule_id: str) -> Any:
    for v in violations:
        if v.rule_id == rule_id:
            return v
    raise AssertionError(f"{rule_id} not among {[v.rule_id for v in violations]}")
