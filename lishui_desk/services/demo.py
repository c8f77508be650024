"""``lishui-desk demo``: a demo profile for 龙泉市八都镇 with the three pilot townships' catalogs,
five colleagues and ~20 realistic cases at various stages, all built through the case services
(so every case has a real hash-chained whole-process record).

Dates are relative to today so the dashboard always shows due and overdue deadlines. Names and ID
numbers are invented (valid check digits, region code 331181 龙泉市).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from lishui_desk import catalog_data
from lishui_desk.identity import credit_code_check_char, org_code_check_char, resident_id_check_char
from lishui_desk.models import ProfileMeta
from lishui_desk.services import cases, reference
from lishui_desk.services.setup import OfficerSpec, add_officer, catalog_item
from lishui_desk.timeutil import CST
from lishui_desk.unit_of_work import UnitOfWork
from lishui_desk.workcal import WorkdayCalendar

DEMO_PASSPHRASE = "lishui-demo-2026"
TOWN = "331181100"

# Agency facts the documents print (read by forms through profile meta "forms.*"). Invented for the
# demo and marked as such: the real address, bank and account come from the township.
DEMO_AGENCY_SETTINGS = {
    "forms.agency.address": "浙江省龙泉市八都镇（演示地址）",
    "forms.agency.phone": "0578-0000000（演示）",
    "forms.agency.postcode": "323000",
    "forms.agency.head": "周卫东",
    "forms.agency.legal_unit": "八都镇综合行政执法队法制审核岗",
    "forms.payment.bank": "演示银行龙泉市支行",
    "forms.payment.account": "DEMO-0000-0000-0000",
    "forms.payment.account_name": "龙泉市财政局非税收入专户（演示）",
    "forms.casefile.retention": "长期",
    "forms.casefile.keeper": "八都镇综合行政执法队",
    "forms.service.medium": "八都镇人民政府公告栏（演示）",
}

# 八都镇 seed items used by the demo
NOISE = "331104001000"  # 高音广播喇叭
STACKING = "331101003000"  # 街道两侧堆放物料（首违不罚）
WASTE = "331101015000"  # 建筑垃圾遗撒
STRAW = "331103001000"  # 露天焚烧秸秆
FOREST_FIRE = "331106001000"  # 森林防火期内野外用火
DOG = "331113001000"  # 养犬登记 — in 云峰街道's catalog, not in 八都镇's (→ 移送)


def resident_id(birth: date, seq: str) -> str:
    first17 = f"331181{birth:%Y%m%d}{seq}"
    return first17 + resident_id_check_char(first17)


def credit_code(org8: str) -> str:
    first17 = "91331181" + org8 + org_code_check_char(org8)
    return first17 + credit_code_check_char(first17)


def person(name: str, birth: date, seq: str, address: str) -> dict[str, Any]:
    return {"kind": "individual", "name": name, "id_number": resident_id(birth, seq), "address": address,
            "phone": "13800000000"}


def company(name: str, org8: str, address: str, rep: str) -> dict[str, Any]:
    return {"kind": "organisation", "name": name, "credit_code": credit_code(org8), "address": address,
            "legal_representative": rep, "phone": "13900000000"}


@dataclass
class Crew:
    me: str
    colleague: str
    leader: str
    reviewer: str


class DemoBuilder:
    def __init__(self, uow: UnitOfWork, crew: Crew, today: date) -> None:
        self.uow, self.crew, self.t = uow, crew, today
        self.seq = 0

    def d(self, days_ago: int) -> date:
        return self.t - timedelta(days=days_ago)

    def at(self, day: date) -> datetime:
        return datetime.combine(day, time(10, 0), CST)

    def do(self, case_id: str, action: str, day: date, payload: dict[str, Any]) -> None:
        cases.perform(self.uow, case_id, action, payload, occurred_at=self.at(day))

    def lead(self, days_ago: int, item: str, party: dict[str, Any], source: str, summary: str,
             place: str = "八都镇八都村") -> str:
        day = self.d(days_ago)
        return cases.register_lead(
            self.uow,
            {"lead_on": day.isoformat(), "source": source, "summary": summary, "item_code": item, "party": party,
             "violation_date": day.isoformat(), "place": place, "officer_ids": [self.crew.me]},
            occurred_at=self.at(day), place=place,
        )

    def file(self, cid: str, days_ago: int, facts: str, place: str = "八都镇八都村") -> None:
        day = self.d(days_ago)
        two = [self.crew.me, self.crew.colleague]
        self.do(cid, "file_case", day, {"filed_on": day.isoformat(), "facts": facts, "place": place,
                                        "officer_ids": two, "approved_by": self.crew.leader,
                                        **self._lead_facts(cid)})
        self.do(cid, "record_inspection", day, {"inspected_on": day.isoformat(), "place": place,
                                                "findings": f"现场检查：{facts}", "officer_ids": two,
                                                "party_present": True, "start_time": "09:10", "end_time": "09:45",
                                                "rights_notified": True})
        self.do(cid, "add_evidence", day, {"kind": "视听资料", "description": "现场照片3张，证明违法行为现场状况",
                                           "collected_on": day.isoformat(), "collected_by": two})
        party = cases.view(self.uow, cid).state.party
        if party is not None:  # 送达地址确认书 signed at the first contact after filing
            self.do(cid, "confirm_service_address", day, {
                "confirmed_on": day.isoformat(), "address": party.address or place, "phone": party.phone or "",
                "e_consent": False})

    def _lead_facts(self, cid: str) -> dict[str, Any]:
        st = cases.view(self.uow, cid).state
        assert st.violation_date is not None  # every demo lead records its violation date
        return {"item_code": st.item_code, "violation_date": st.violation_date.isoformat()}

    def inquire(self, cid: str, days_ago: int, who: str) -> None:
        day = self.d(days_ago)
        qa = ("问：我们是八都镇综合行政执法队的执法人员，这是我们的执法证件，请过目。你是否申请回避？\n"
              "答：看过了，不申请回避。\n"
              "问：你应当如实回答询问，协助调查。请讲一下现场的情况。\n"
              "答：情况属实，是我做的，当时没想到会影响别人。\n"
              "问：你对现场检查认定的事实有无异议？\n"
              "答：没有异议，我愿意改正。")
        self.do(cid, "record_inquiry", day, {"inquired_on": day.isoformat(), "person": who, "person_role": "当事人",
                                             "summary": "当事人对违法事实无异议，表示愿意改正",
                                             "officer_ids": [self.crew.me, self.crew.colleague],
                                             "start_time": "14:30", "end_time": "15:05",
                                             "place": "八都镇综合行政执法队询问室", "qa": qa})

    def summon(self, cid: str, days_ago: int, due_days_ago: int, matters: str) -> None:
        day, due = self.d(days_ago), self.d(due_days_ago)
        self.do(cid, "issue_summons", day, {"issued_on": day.isoformat(), "summons_on": due.isoformat(),
                                            "summons_time": "14:30", "place": "八都镇综合行政执法队询问室",
                                            "matters": matters, "materials": "身份证件、相关证明材料"})

    def conclude(self, cid: str, days_ago: int, proposal: str, detail: str, summary: str = "") -> None:
        day = self.d(days_ago)
        self.do(cid, "conclude_investigation", day, {
            "concluded_on": day.isoformat(),
            "summary": summary or "立案后执法人员进行了现场检查、询问当事人并收集了现场照片，调查终结。",
            "conclusion": "违法事实清楚，证据确实充分，程序合法。", "proposal": proposal,
            "proposal_detail": detail, "officer_ids": [self.crew.me, self.crew.colleague]})

    def notify(self, cid: str, issued_ago: int, served_ago: int, amount: str, kinds: list[str] | None = None,
               facts: str = "", basis: str = "", hearing: bool = False, mitigation: str | None = None) -> None:
        day = self.d(issued_ago)
        words = [f"罚款人民币{amount}元" if k == "罚款" else k for k in kinds or ["罚款"]]
        self.conclude(cid, issued_ago, "给予行政处罚", "；".join(words))
        payload: dict[str, Any] = {"issued_on": day.isoformat(), "kinds": kinds or ["罚款"], "amount": amount,
                                   "facts": facts, "basis": basis, "hearing_right_given": hearing}
        if mitigation:
            payload["mitigation"] = mitigation
        self.do(cid, "issue_notice", day, payload)
        sday = self.d(served_ago)
        self.do(cid, "serve_notice", sday, {"served_on": sday.isoformat(), "method": "直接送达", "receiver": "本人"})

    def waive(self, cid: str, days_ago: int, who: str) -> None:
        day = self.d(days_ago)
        self.do(cid, "record_waiver", day, {"waived_on": day.isoformat(), "scope": "陈述申辩和听证", "written": True,
                                            "signed_by": who})

    def decide(self, cid: str, days_ago: int, amount: str, facts: str, basis: str, kinds: list[str] | None = None,
               **extra: Any) -> None:
        day = self.d(days_ago)
        payload = {"decided_on": day.isoformat(), "outcome": "处罚", "kinds": kinds or ["罚款"], "amount": amount,
                   "facts": facts, "evidence_summary": "现场检查笔录、询问笔录、现场照片", "basis": basis,
                   "payment_method": "自收到本决定书之日起十五日内到指定银行或通过电子支付系统缴纳",
                   "payment_days": 15, "remedies": "六十日内向龙泉市人民政府申请行政复议，或六个月内向龙泉市人民法院提起行政诉讼",
                   "agency": "龙泉市八都镇人民政府", "approved_by": self.crew.leader,
                   "officer_ids": [self.crew.me, self.crew.colleague], **extra}
        self.do(cid, "decide", day, payload)

    def serve(self, cid: str, days_ago: int, who: str) -> None:
        day = self.d(days_ago)
        self.do(cid, "serve_decision", day, {"served_on": day.isoformat(), "method": "直接送达", "receiver": who})

    def pay(self, cid: str, days_ago: int, amount: str, channel: str = "银行") -> None:
        day = self.d(days_ago)
        self.do(cid, "record_payment", day, {"paid_on": day.isoformat(), "amount": amount, "channel": channel})

    def close(self, cid: str, days_ago: int, summary: str) -> None:
        day = self.d(days_ago)
        self.do(cid, "close_case", day, {"closed_on": day.isoformat(), "summary": summary,
                                         "approved_by": self.crew.leader})


def _scenarios(b: DemoBuilder) -> list[Callable[[], None]]:
    c = b.crew
    ye = person("叶建国", date(1972, 3, 14), "031", "龙泉市八都镇八都村12号")
    wu = person("吴丽华", date(1985, 8, 2), "042", "龙泉市八都镇竹垟路8号")
    ji = person("季小龙", b.t.replace(year=b.t.year - 16) - timedelta(days=40), "051", "龙泉市八都镇岱垟村3号")
    mao = person("毛春生", date(1960, 11, 20), "013", "龙泉市八都镇大洋村5号")
    zhou = person("周秀英", date(1978, 1, 9), "024", "龙泉市八都镇八都村44号")
    lin = person("林志强", date(1990, 6, 30), "035", "龙泉市八都镇新街21号")
    jianzhu = company("龙泉市八都顺达建材有限公司", "MA2B3C4D", "龙泉市八都镇工业区2号", "刘顺达")
    canyin = company("龙泉市八都镇老街餐饮店", "MA7E8F9G", "龙泉市八都镇老街6号", "郑老板")
    stack_basis = "《浙江省城市市容和环境卫生管理条例》第十二条第三款"
    noise_basis = "《中华人民共和国噪声污染防治法》第八十二条"
    fire_basis = "《浙江省森林消防条例》第四十四条"

    def leads() -> None:
        b.lead(2, NOISE, lin, "群众举报/12345", "群众反映新街夜间使用高音喇叭招揽生意", "八都镇新街")
        b.lead(1, STACKING, zhou, "巡查发现", "巡查发现八都村主街沿街堆放建材")
        b.lead(3, FOREST_FIRE, mao, "基层治理四平台", "网格员上报大洋村山林边有人烧纸", "八都镇大洋村后山")

    def declined() -> None:
        cid = b.lead(30, STACKING, wu, "群众举报/12345", "举报竹垟路堆放杂物")
        day = b.d(28)
        b.do(cid, "decline_filing", day, {"declined_on": day.isoformat(),
                                          "reason": "经核查为临时装卸货物，当日已清理，不构成违法",
                                          "approved_by": c.leader, "officer_ids": [c.me, c.colleague]})

    def investigating() -> None:
        cid = b.lead(12, NOISE, lin, "巡查发现", "新街商铺门口高音喇叭音量过大", "八都镇新街")
        b.file(cid, 10, "在噪声敏感建筑物集中区域使用高音广播喇叭招揽顾客", "八都镇新街21号")
        cid = b.lead(16, STRAW, mao, "基层治理四平台", "大洋村田间焚烧秸秆", "八都镇大洋村")
        b.file(cid, 15, "在大洋村田间露天焚烧秸秆产生烟尘", "八都镇大洋村")
        b.summon(cid, 15, 14, "露天焚烧秸秆的时间、地点、数量及起因")
        b.inquire(cid, 14, "毛春生")

    def ninety_days() -> None:
        cid = b.lead(86, WASTE, jianzhu, "上级交办", "县指挥中心交办：运输车辆沿途遗撒建筑垃圾", "八都镇205国道")
        b.file(cid, 84, "运输建筑垃圾沿途遗撒", "八都镇205国道")
        b.inquire(cid, 80, "刘顺达")

    def notified() -> None:
        cid = b.lead(9, STACKING, ye, "巡查发现", "八都村主街堆放木料", "八都镇八都村")
        b.file(cid, 8, "在八都村主街两侧擅自堆放木料约6平方米，经责令限期改正逾期未改正")
        b.inquire(cid, 7, "叶建国")
        b.notify(cid, 3, 2, "550", facts="擅自在街道两侧堆放木料", basis=stack_basis)

    def statement() -> None:
        cid = b.lead(25, NOISE, wu, "群众举报/12345", "竹垟路店铺促销喇叭扰民", "八都镇竹垟路")
        b.file(cid, 24, "在竹垟路店铺门口使用高音喇叭促销", "八都镇竹垟路8号")
        b.summon(cid, 24, 23, "使用高音广播喇叭促销的时间、频次及经营情况")
        b.inquire(cid, 23, "吴丽华")
        b.notify(cid, 20, 19, "500", kinds=["罚款"], facts="使用高音广播喇叭促销，经劝阻拒不改正", basis=noise_basis)
        day = b.d(17)
        b.do(cid, "record_statement", day, {"stated_on": day.isoformat(), "form": "口头",
                                            "content": "系初次违法，已拆除喇叭，请求从轻处罚",
                                            "start_time": "10:00", "end_time": "10:20",
                                            "place": "八都镇综合行政执法队询问室"})

    def minor() -> None:
        cid = b.lead(14, FOREST_FIRE, ji, "巡查发现", "岱垟村林缘有未成年人野炊用火", "八都镇岱垟村")
        b.file(cid, 13, "森林防火期内在林缘野炊用火", "八都镇岱垟村")
        b.inquire(cid, 12, "季小龙（监护人季某在场）")
        b.notify(cid, 6, 5, "200", kinds=["警告", "罚款"], facts="森林防火期内野外用火", basis=fire_basis,
                 mitigation="从轻")

    def review_pending() -> None:
        cid = b.lead(40, WASTE, jianzhu, "巡查发现", "工业区道路建筑垃圾倾倒", "八都镇工业区")
        b.file(cid, 38, "随意倾倒建筑垃圾约15立方米", "八都镇工业区")
        b.inquire(cid, 36, "刘顺达")
        b.notify(cid, 20, 19, "120000", facts="处置建筑垃圾随意倾倒", hearing=True,
                 basis="《浙江省城市市容和环境卫生管理条例》第二十八条")
        b.waive(cid, 18, "刘顺达")
        day = b.d(5)
        b.do(cid, "request_legal_review", day, {"requested_on": day.isoformat(), "proposed_outcome": "处罚",
                                                "kinds": ["罚款"], "amount": "120000",
                                                "materials": "调查终结报告、拟作出的决定书、证据材料"})

    def decided_unpaid() -> None:
        cid = b.lead(30, STACKING, zhou, "巡查发现", "八都村堆放砂石", "八都镇八都村")
        b.file(cid, 29, "在八都村主街两侧堆放砂石约8平方米，逾期未清理")
        b.notify(cid, 20, 19, "550", facts="擅自在街道两侧堆放砂石", basis=stack_basis)
        b.waive(cid, 18, "周秀英")
        b.decide(cid, 12, "550", "擅自在街道两侧堆放砂石约8平方米，逾期未改正", stack_basis)
        b.serve(cid, 11, "周秀英")

    def overdue_payment() -> None:
        cid = b.lead(70, NOISE, canyin, "群众举报/12345", "老街餐饮店音响扰民", "八都镇老街")
        b.file(cid, 68, "在老街店门口使用大功率音响，经劝阻拒不改正", "八都镇老街6号")
        b.notify(cid, 60, 59, "3000", facts="公共场所音量过大，拒不改正", basis=noise_basis)
        b.waive(cid, 58, "郑老板")
        b.decide(cid, 55, "3000", "在老街店门口使用大功率音响，经劝阻拒不改正", noise_basis)
        b.serve(cid, 54, "郑老板")

    def closed() -> None:
        cid = b.lead(120, STACKING, ye, "巡查发现", "八都村主街堆放竹料", "八都镇八都村")
        b.file(cid, 118, "在八都村主街两侧堆放竹料约4平方米，逾期未改正")
        b.notify(cid, 110, 109, "300", facts="擅自在街道两侧堆放竹料", basis=stack_basis)
        b.waive(cid, 108, "叶建国")
        b.decide(cid, 100, "300", "在八都村主街两侧堆放竹料约4平方米，逾期未改正", stack_basis)
        b.serve(cid, 99, "叶建国")
        day = b.d(97)
        b.do(cid, "record_disclosure", day, {"published_on": day.isoformat(), "channel": "浙江政务服务网",
                                             "masked": True})
        b.pay(cid, 90, "300")
        b.close(cid, 88, "罚款已缴清，违法行为已改正")
        day = b.d(80)
        b.do(cid, "archive_case", day, {"archived_on": day.isoformat(), "archive_no": f"八都执法-{day.year}-001"})

    def summary_cases() -> None:
        for days_ago, party, amount, num in ((20, lin, "200", "0000101"), (1, wu, None, "0000102")):
            day = b.d(days_ago)
            cid = cases.register_lead(
                b.uow,
                {"lead_on": day.isoformat(), "source": "巡查发现", "summary": "巡查发现违法燃放", "item_code": FOREST_FIRE,
                 "party": party, "violation_date": day.isoformat(), "place": "八都镇岱垟村",
                 "officer_ids": [c.me]}, occurred_at=b.at(day))
            b.do(cid, "summary_penalty", day, {
                "decided_on": day.isoformat(), "decision_number": f"龙八综执当罚{num}", "party": party,
                "item_code": FOREST_FIRE, "violation_date": day.isoformat(), "place": "八都镇岱垟村",
                "facts": "森林防火期内在林区边缘烧纸", "kinds": ["罚款"] if amount else ["警告"], "basis": fire_basis,
                "facts_certain": True, "officer_ids": [c.me, c.colleague], "party_signed": True,
                **({"amount": amount} if amount else {})})
            if amount:
                b.pay(cid, days_ago - 1, amount)
                b.close(cid, days_ago - 2, "当场处罚，罚款已缴纳")

    def first_offence() -> None:
        cid = b.lead(22, STACKING, wu, "巡查发现", "竹垟路临时堆放纸箱", "八都镇竹垟路")
        b.file(cid, 21, "在竹垟路两侧堆放纸箱约2平方米，系初次违法，当场清理", "八都镇竹垟路")
        b.conclude(cid, 16, "不予行政处罚", "初次违法且危害后果轻微并及时改正，适用首违不罚",
                   "立案后执法人员进行了现场检查，当事人当场清理了堆放的纸箱，调查终结。")
        day = b.d(15)
        b.do(cid, "decide", day, {"decided_on": day.isoformat(), "outcome": "不予处罚", "ground": "首违不罚",
                                  "remedies": "六十日内向龙泉市人民政府申请行政复议，或六个月内向龙泉市人民法院提起行政诉讼",
                                  "facts": "初次违法，危害后果轻微，已当场改正",
                                  "basis": "《中华人民共和国行政处罚法》第三十三条第一款",
                                  "agency": "龙泉市八都镇人民政府", "approved_by": c.leader,
                                  "officer_ids": [c.me, c.colleague]})
        day = b.d(14)
        b.do(cid, "record_education", day, {"educated_on": day.isoformat(), "target": "当事人",
                                             "content": "宣讲市容管理规定，当事人签字承诺不再违反",
                                             "officer_ids": [c.me, c.colleague]})

    def transfer() -> None:
        cid = b.lead(6, DOG, lin, "群众举报/12345", "群众举报新街有未登记犬只", "八都镇新街")
        day = b.d(5)
        b.do(cid, "transfer_case", day, {"transferred_on": day.isoformat(), "target": "县级主管部门",
                                         "receiver": "龙泉市综合行政执法局",
                                         "reason": "养犬登记事项不在八都镇赋权事项目录内，依法移送有管辖权的部门",
                                         "approved_by": c.leader,
                                         "basis": "《中华人民共和国行政处罚法》第二十二条、《浙江省综合行政执法条例》第九条",
                                         "materials": "群众举报登记、现场照片"})

    def hearing() -> None:
        shunfa = company("龙泉市八都镇顺发运输队", "MA3H4J5K", "龙泉市八都镇溪口村9号", "何顺发")
        cid = b.lead(18, WASTE, shunfa, "部门移送", "县交通运输部门移送：车辆遗撒建筑垃圾", "八都镇溪口路段")
        b.file(cid, 17, "运输建筑垃圾沿途遗撒约3立方米", "八都镇溪口路段")
        b.notify(cid, 5, 4, "100000", facts="处置建筑垃圾沿途遗撒", hearing=True,
                 basis="《浙江省城市市容和环境卫生管理条例》第二十八条")
        day = b.d(2)
        b.do(cid, "request_hearing", day, {"requested_on": day.isoformat(), "form": "书面"})

    def preservation() -> None:
        cid = b.lead(5, STRAW, zhou, "巡查发现", "八都村焚烧杂物，现场有未燃尽的塑料", "八都镇八都村")
        b.file(cid, 4, "露天焚烧秸秆及杂物", "八都镇八都村")
        day = b.d(3)
        b.do(cid, "preserve_evidence", day, {"preserved_on": day.isoformat(), "items": "未燃尽秸秆及塑料薄膜一袋",
                                             "reason": "证据可能灭失", "approved_by": c.leader,
                                             "officer_ids": [c.me, c.colleague],
                                             "place": "八都镇综合行政执法队证物室", "keeper": "八都镇综合行政执法队"})

    return [leads, declined, hearing, preservation, investigating, ninety_days, notified, statement, minor, review_pending,
            decided_unpaid, overdue_payment, closed, summary_cases, first_offence, transfer]


def demo_date(today: date) -> date:
    """The date the demo is laid out around: today, unless the holiday calendar does not cover this
    year yet (the county has not sent it) — then late November of the last covered year (inside
    the seed catalogs' validity), so that the demo's deadlines can be computed instead of every
    step being refused."""
    cal = WorkdayCalendar.default()  # before the profile exists: the bundled calendar it is seeded with
    known = cal.known_range()
    if cal.covers(today) or known is None:
        return today
    last = known[1].year
    return date(last, 11, 26)


def populate(uow: UnitOfWork) -> Crew:
    """Fill a new profile (created for 王建 in 八都镇) with the demo: the pilot catalogs, colleagues,
    agency settings and the scenarios, dated around ``uow.today``, in the caller's unit of work."""
    today, s = uow.today, uow.session
    reference.apply_batch(uow, "catalog", [catalog_item(code) for code in catalog_data.available_catalogs()],
                          source="bundled")
    li = add_officer(s, TOWN, OfficerSpec("李明", "ZJ-3311-0002", date(today.year + 2, 6, 30)))
    leader = add_officer(s, TOWN, OfficerSpec("周卫东", "ZJ-3311-0009", date(today.year + 3, 12, 31), role="leader"))
    reviewer = add_officer(s, TOWN, OfficerSpec("吴法明", "ZJ-3311-0010", date(today.year + 3, 12, 31),
                                                role="reviewer", legal_qualification=True,
                                                reviewer_since=date(2019, 3, 1)))
    add_officer(s, TOWN, OfficerSpec("陈辅助", "FZ-0001", None, role="auxiliary"))
    for key, value in DEMO_AGENCY_SETTINGS.items():
        s.merge(ProfileMeta(key=key, value=value))
    crew = Crew(uow.actor_id, li.id, leader.id, reviewer.id)
    builder = DemoBuilder(uow, crew, today)
    for scenario in _scenarios(builder):
        scenario()
    return crew
