"""The action table: what an officer can do, in which stages, with which form fields and guards.

The CLI and the GUI build their forms from ``FieldSpec``s; the engine validates payloads against
them and runs the listed guard rules (see :mod:`lishui_desk.procedure.guards`).
"""

from __future__ import annotations

import dataclasses

from lishui_desk.discretion import FACTORS as FACTOR_CHOICES
from lishui_desk.procedure import served
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.types import ActionSpec, FieldSpec

F = FieldSpec

_OPEN = (V.LEAD, *V.PRE_DECISION)
_AFTER_DECISION = (V.DECIDED, V.SERVED, V.EXECUTION, V.PERFORMED, V.NO_PENALTY, V.SUMMARY_DECIDED)
_NOT_FINAL = (V.LEAD, *V.PRE_DECISION, *_AFTER_DECISION, V.REVOKED)
_STATEMENT_STAGES = (V.NOTIFIED, V.STATEMENT, V.LEGAL_REVIEW, V.COLLECTIVE)

OFFICERS = F("officer_ids", "执法人员（两名以上持证）", "officers", True)
PARTY = F("party", "当事人", "party")
ITEM = F("item_code", "执法事项", "item")
KINDS = F("kinds", "处罚种类", "multichoice", False, V.PENALTY_KINDS)
AMOUNT = F("amount", "罚款数额（元）", "money")
MITIGATION = F("mitigation", "处罚幅度（从轻/减轻/从重）", "choice", False, V.MITIGATIONS)
FACTORS = F("factors", "裁量情节", "multichoice", False, FACTOR_CHOICES)
QUANTITY = F("quantity", "计罚基数（按倍数或单位计罚时）", "money")
CONFISCATION = F("confiscation_value", "没收违法所得数额或非法财物价值（元）", "money")
_OFFICER_RULES = ("officers.two_certified", "officers.auxiliary", "officers.certificate_valid", "officers.recusal")
_HM = "24小时制“时:分”，如 09:30"
START = F("start_time", "开始时间", "text", False, (), _HM)
END = F("end_time", "结束时间", "text", False, (), _HM)


def _optional(f: FieldSpec) -> FieldSpec:
    return dataclasses.replace(f, required=False)


def _a(
    key: str,
    label: str,
    stages: tuple[str, ...],
    fields: tuple[FieldSpec, ...],
    rules: tuple[str, ...],
    event: str,
    date_field: str | None,
    officers: bool = False,
) -> ActionSpec:
    # a date the app fills itself (the working date) is not a required field for the officer
    fields = tuple(
        dataclasses.replace(f, required=False, help_zh=f.help_zh or "留空为当日") if f.name == date_field else f
        for f in fields
    )
    return ActionSpec(key, label, stages, fields, rules, event, date_field, officers)


_LIST: tuple[ActionSpec, ...] = (
    _a("register_lead", "登记线索", (V.NEW,), (
        F("lead_on", "发现日期", "date", True),
        F("source", "案件来源", "choice", True, V.SOURCES),
        F("summary", "线索内容", "text", True),
        F("township_code", "乡镇（街道）代码", "text"),
        PARTY, ITEM,
        F("violation_date", "违法行为发生日期", "date"),
        F("violation_end_date", "违法行为终了日期（连续或继续状态）", "date"),
        F("place", "地点", "text"),
        F("officer_ids", "登记人员", "officers"),
    ), ("catalog.item_active",), V.EV_LEAD, "lead_on"),
    _a("decline_filing", "不予立案", (V.LEAD,), (
        F("declined_on", "日期", "date", True),
        F("reason", "不予立案理由", "text", True),
        F("approved_by", "批准负责人", "officer", True),
        F("officer_ids", "承办人员", "officers"),
    ), ("filing.leader_approval",), V.EV_NOT_FILED, "declined_on"),
    _a("choose_procedure", "选择程序", (V.LEAD,), (
        F("procedure", "适用程序", "choice", True, V.PROCEDURES),
        F("reason", "理由", "text"),
    ), (), V.EV_PROCEDURE, None),
    _a("file_case", "立案", (V.LEAD,), (
        F("filed_on", "立案日期", "date", True),
        F("case_number", "案件编号", "text", False, (), "留空由系统按编号规则自动编号"),
        PARTY,
        F("item_code", "执法事项", "item", True),
        F("violation_date", "违法行为发生日期", "date", True),
        F("violation_end_date", "违法行为终了日期（连续或继续状态）", "date"),
        F("discovered_date", "发现日期", "date"),
        F("harmful_consequence", "有危害后果", "bool"),
        F("facts", "涉嫌违法事实", "text", True),
        F("place", "地点", "text"),
        OFFICERS,
        F("approved_by", "批准立案的负责人", "officer", True),
    ), (*_OFFICER_RULES, "catalog.item_active", "limitation.period", "filing.leader_approval"), V.EV_FILED,
        "filed_on", True),
    _a("flag_case", "标记案件情形", (V.LEAD, *V.PRE_DECISION), (
        F("flags", "情形", "multichoice", True, V.CASE_FLAGS),
        F("reason", "理由", "text", True),
        F("cleared", "取消的情形", "multichoice", False, V.CASE_FLAGS),
    ), (), V.EV_FLAGGED, None),
    _a("record_inspection", "现场检查（勘验）笔录", _OPEN, (
        F("inspected_on", "检查日期", "date", True),
        F("place", "检查地点", "text", True),
        F("findings", "检查情况", "text", True),
        OFFICERS,
        F("party_present", "当事人在场", "bool"),
        F("evidence_sha256", "音像记录", "evidence"),
        START, END,
        F("rights_notified", "已出示执法证件并告知陈述、申辩和申请回避的权利", "bool"),
        F("witness", "见证人", "text"),
    ), (*_OFFICER_RULES, "record.times", "record.rights_notified"), V.EV_INSPECTION, "inspected_on", True),
    _a("record_inquiry", "询问笔录", _OPEN, (
        F("inquired_on", "询问日期", "date", True),
        F("person", "被询问人", "text", True),
        F("person_role", "身份", "choice", True, ("当事人", "证人", "其他")),
        F("summary", "询问内容摘要", "text", True),
        OFFICERS,
        F("evidence_sha256", "录音录像", "evidence"),
        START, END,
        F("place", "询问地点", "text"),
        F("qa", "问答记录", "text", False, (), "逐行记录，每行以“问：”或“答：”开头"),
    ), (*_OFFICER_RULES, "record.times"), V.EV_INQUIRY, "inquired_on", True),
    _a("issue_summons", "调查通知", (V.FILED, V.INVESTIGATION), (
        F("issued_on", "通知日期", "date", True),
        F("summons_on", "接受调查日期", "date", True),
        F("summons_time", "接受调查时间", "text", True, (), _HM),
        F("place", "接受调查地点", "text", True),
        F("matters", "调查事项", "text", True),
        F("materials", "需携带的材料", "text", False, (), "多项以顿号“、”分隔"),
        F("contact", "联系人及电话", "text"),
    ), ("record.times",), V.EV_SUMMONS, "issued_on"),
    _a("add_evidence", "登记证据", _OPEN, (
        F("kind", "证据种类", "choice", True, V.EVIDENCE_KINDS),
        F("description", "证据名称及证明内容", "text", True),
        F("title", "证据名称", "text"),
        F("collected_on", "取得日期", "date", True),
        F("sha256", "证据文件", "evidence"),
        F("collected_by", "收集人员", "officers"),
        F("blob_id", "证据文件编号", "text"),
        F("size", "文件大小（字节）", "int"),
        F("mime", "文件类型", "text"),
        F("captured_at", "采集时间", "text"),
        F("captured_place", "采集地点", "text"),
    ), (), V.EV_EVIDENCE, "collected_on"),
    _a("preserve_evidence", "先行登记保存", _OPEN, (
        F("preserved_on", "保存日期", "date", True),
        F("items", "物品清单", "text", True),
        F("reason", "理由（证据可能灭失或以后难以取得）", "text", True),
        F("approved_by", "批准负责人", "officer", True),
        OFFICERS,
        F("place", "保存地点", "text"),
        F("keeper", "保存人", "text"),
    ), (*_OFFICER_RULES, "preserve.leader_approval"), V.EV_PRESERVED, "preserved_on", True),
    _a("handle_preserved", "先行登记保存处理决定", (*_OPEN, V.DECIDED, V.NO_PENALTY), (
        F("preservation_event_id", "先行登记保存记录", "event", True),
        F("handled_on", "处理日期", "date", True),
        F("handling", "处理方式", "choice", True, ("解除登记保存", "退还", "没收", "移送", "其他")),
        F("note", "说明", "text"),
    ), ("preserve.target", "preserve.in_time"), V.EV_PRESERVED_HANDLED, "handled_on"),
    _a("order_correction", "责令改正", (*_OPEN, V.DECIDED, V.NO_PENALTY, V.SUMMARY_DECIDED), (
        F("ordered_on", "日期", "date", True),
        F("content", "责令改正内容", "text", True),
        F("deadline", "改正期限", "date"),
        OFFICERS,
    ), _OFFICER_RULES, V.EV_CORRECTION_ORDER, "ordered_on", True),
    _a("record_recusal", "回避", _NOT_FINAL, (
        F("officer_id", "回避人员", "officer", True),
        F("reason", "回避事由", "text", True),
        F("applied_by", "提出方式", "choice", True, ("执法人员自行回避", "当事人申请")),
        F("granted", "决定回避", "bool", True),
        F("decided_by", "决定的负责人", "officer", True),
        F("decided_on", "决定日期", "date", True),
    ), ("recusal.leader",), V.EV_RECUSAL, "decided_on"),
    _a("conclude_investigation", "调查终结", (V.FILED, V.INVESTIGATION), (
        F("concluded_on", "调查终结日期", "date", True),
        F("summary", "调查经过", "text", True),
        F("conclusion", "调查结论（事实是否清楚、证据是否确实充分）", "text", True),
        F("proposal", "处理建议", "choice", True, V.INVESTIGATION_PROPOSALS),
        F("proposal_detail", "拟处理意见（处罚种类、数额或移送对象等）", "text"),
        F("handler_opinion", "承办人意见", "text"),
        F("officer_ids", "承办人员", "officers"),
    ), ("evidence.present",), V.EV_CONCLUDED, "concluded_on"),
    _a("issue_notice", "事先告知", (*V.PRE_DECISION,), (
        F("issued_on", "告知日期", "date", True),
        F("notice_number", "告知书文号", "text"),
        KINDS, AMOUNT, MITIGATION, FACTORS, QUANTITY, CONFISCATION,
        F("facts", "违法事实", "text", True),
        F("basis", "处罚依据", "text", True),
        F("hearing_right_given", "告知听证权利", "bool"),
    ), ("investigation.concluded", "catalog.item_active", "limitation.period", "penalty.kinds", "penalty.amount_range",
        "hearing.right_required", "hearing.threshold_unknown", "county.matter", "minor.under_14", "minor.mitigation",
        "penalty.one_fine", "evidence.present"),
        V.EV_NOTICE, "issued_on"),
    _a("serve_notice", "送达事先告知书", _STATEMENT_STAGES, (
        *served.fields(),
    ), ("notice.exists", "service.method_details", "service.electronic_consent"), V.EV_NOTICE_SERVED, "served_on"),
    _a("record_service_receipt", "登记送达回执（邮寄、电子送达）", (*_STATEMENT_STAGES, *_AFTER_DECISION), (
        F("service_event_id", "邮寄或电子送达记录", "event", True),
        F("receipt_on", "回执上注明的收件日期（邮寄送达）", "date"),
        F("reached_on", "到达受送达人系统的日期（电子送达）", "date"),
        F("receipt_sha256", "回执扫描件", "evidence"),
        F("note", "说明", "text"),
    ), ("service.receipt_target",), V.EV_SERVICE_RECEIPT, None),
    _a("confirm_service_address", "送达地址确认", (*V.PRE_DECISION, *_AFTER_DECISION), (
        F("confirmed_on", "确认日期", "date", True),
        F("address", "送达地址", "text", True),
        F("phone", "联系电话", "text"),
        F("email", "电子邮箱（电子送达地址）", "text"),
        F("agent", "代收人", "text"),
        F("e_consent", "同意电子送达", "bool"),
    ), ("service.electronic_address",), V.EV_SERVICE_ADDRESS, "confirmed_on"),
    _a("record_statement", "陈述申辩", _STATEMENT_STAGES, (
        F("stated_on", "日期", "date", True),
        F("form", "形式", "choice", True, ("书面", "口头")),
        F("content", "陈述申辩内容", "text", True),
        START, END,
        F("place", "地点（口头陈述申辩）", "text"),
    ), ("rights.notice_served", "record.times"), V.EV_STATEMENT, "stated_on"),
    _a("review_statement", "陈述申辩复核", _STATEMENT_STAGES, (
        F("reviewed_on", "复核日期", "date", True),
        F("result", "复核结论", "choice", True, ("采纳", "部分采纳", "不采纳")),
        F("reasons", "理由", "text", True),
    ), ("statement.exists",), V.EV_STATEMENT_REVIEWED, "reviewed_on"),
    _a("record_waiver", "当事人书面放弃权利", _STATEMENT_STAGES, (
        F("waived_on", "日期", "date", True),
        F("scope", "放弃的权利", "choice", True, V.WAIVER_SCOPES),
        F("written", "有当事人签名的书面声明", "bool", True),
        F("signed_by", "签名人", "text", True),
        F("document_sha256", "书面声明扫描件", "evidence"),
    ), ("rights.notice_served", "waiver.written"), V.EV_WAIVER, "waived_on"),
    _a("request_hearing", "当事人要求听证", _STATEMENT_STAGES, (
        F("requested_on", "提出日期", "date", True),
        F("form", "形式", "choice", True, ("书面", "口头")),
    ), ("rights.notice_served", "hearing.request_window"), V.EV_HEARING_REQUESTED, "requested_on"),
    _a("schedule_hearing", "听证通知", _STATEMENT_STAGES, (
        F("notified_on", "通知日期", "date", True),
        F("hearing_on", "听证日期", "date", True),
        F("place", "听证地点", "text", True),
        F("presider_id", "听证主持人", "officer", True),
        F("public", "公开举行", "bool"),
        *(_optional(f) for f in served.fields("听证通知书送达日期")),
    ), ("hearing.requested", "hearing.notice_7days", "hearing.presider", "officers.recusal", "service.method_details",
        "service.electronic_consent"),
        V.EV_HEARING_SCHEDULED, "notified_on"),
    _a("record_hearing", "听证笔录", _STATEMENT_STAGES, (
        F("held_on", "日期", "date", True),
        F("result", "结果", "choice", True, V.HEARING_RESULTS),
        F("summary", "听证情况", "text", True),
        F("presider_id", "主持人", "officer"),
    ), ("hearing.requested", "hearing.presider"), V.EV_HEARING_HELD, "held_on"),
    _a("request_legal_review", "提请法制审核", (*V.PRE_DECISION,), (
        F("requested_on", "提请日期", "date", True),
        F("proposed_outcome", "拟作决定", "choice", True, V.OUTCOMES),
        KINDS, AMOUNT,
        F("materials", "报送材料", "text"),
    ), (), V.EV_REVIEW_REQUESTED, "requested_on"),
    _a("record_legal_review", "法制审核意见", (*V.PRE_DECISION,), (
        F("reviewed_on", "审核日期", "date", True),
        F("result", "审核意见", "choice", True, V.REVIEW_RESULTS),
        F("reasons", "意见和理由", "text"),
        F("reviewer_id", "法制审核人员", "officer", True),
    ), ("review.requested", "review.reviewer_qualified", "review.reasons", "officers.recusal"),
        V.EV_REVIEW_OPINION, "reviewed_on"),
    _a("record_collective_discussion", "集体讨论", (*V.PRE_DECISION,), (
        F("discussed_on", "讨论日期", "date", True),
        F("participants", "参加人员", "officers", True),
        F("chaired_by", "主持的负责人", "officer", True),
        F("conclusion", "讨论结论", "text", True),
    ), ("collective.chair", "officers.recusal"), V.EV_COLLECTIVE, "discussed_on"),
    _a("decide", "作出决定", (*V.PRE_DECISION, V.DECIDED), (
        F("decided_on", "决定日期", "date", True),
        F("outcome", "处理结果", "choice", True, V.OUTCOMES),
        F("decision_number", "决定书文号", "text"),
        KINDS, AMOUNT, MITIGATION, FACTORS, QUANTITY, CONFISCATION,
        F("ground", "不予处罚理由", "choice", False, V.NO_PENALTY_GROUNDS),
        F("facts", "违法事实", "text"),
        F("evidence_summary", "证据", "text"),
        F("basis", "处罚依据", "text"),
        F("reasoning", "裁量理由", "text"),
        F("payment_method", "履行方式", "text"),
        F("payment_days", "履行期限（日）", "int"),
        F("remedies", "救济途径和期限", "text"),
        F("agency", "作出决定的行政机关", "text"),
        F("officer_ids", "承办人员", "officers"),
        F("approved_by", "审查决定的负责人", "officer", True),
    ), (*_OFFICER_RULES, "decision.leader", "investigation.concluded", "catalog.item_active", "limitation.period", "minor.under_14",
        "minor.mitigation", "rights.notice_served", "rights.statement_window", "rights.hearing_window",
        "rights.statement_reviewed", "hearing.held", "penalty.kinds", "penalty.amount_range", "penalty.not_heavier",
        "penalty.one_fine", "review.required", "collective.required", "decision.contents", "clock.ninety_days",
        "first_offence.prior", "first_offence.item", "county.matter", "preserve.unhandled", "evidence.present"),
        V.EV_DECIDED, "decided_on", True),
    _a("serve_decision", "送达决定书", (V.DECIDED, V.NO_PENALTY, V.REVOKED), (
        *served.fields(),
        F("receipt_sha256", "送达回证", "evidence"),
    ), ("decision.exists", "service.method_details", "service.electronic_consent", "service.in_time"),
        V.EV_DECISION_SERVED, "served_on"),
    _a("record_payment", "登记缴款", (V.SUMMARY_DECIDED, V.SERVED, V.EXECUTION), (
        F("paid_on", "缴款日期", "date", True),
        F("amount", "缴纳罚款（元）", "money", True),
        F("late_fee", "缴纳加处罚款（元）", "money"),
        F("channel", "缴款方式", "choice", True, ("银行", "电子支付", "当场收缴")),
        F("receipt_no", "票据号", "text"),
    ), ("payment.late_fee", "payment.on_the_spot"), V.EV_PAYMENT, "paid_on"),
    _a("record_remedy", "登记复议或诉讼", (*_AFTER_DECISION, V.CLOSED), (
        F("kind", "类型", "choice", True, ("行政复议", "行政诉讼")),
        F("started_on", "开始日期", "date", True),
        F("ended_on", "结束日期", "date"),
        F("result", "结果", "text"),
    ), (), V.EV_REMEDY, None),
    _a("approve_deferral", "批准暂缓或分期缴纳罚款", (V.SERVED, V.EXECUTION), (
        F("approved_on", "批准日期", "date", True),
        F("applied_on", "当事人申请日期", "date", True),
        F("until", "暂缓或分期缴纳的最后期限", "date", True),
        F("instalments", "分期期数（分期缴纳时）", "int"),
        F("reason", "当事人经济困难的情况", "text", True),
        F("approved_by", "批准的负责人", "officer", True),
    ), ("payment.deferral", "officers.recusal"), V.EV_DEFERRED, "approved_on"),
    _a("serve_demand", "送达催告书", (V.EXECUTION,), (
        *served.fields("催告书送达日期"),
        F("demand_number", "催告书文号", "text"),
        F("amount_due", "催告履行的罚款及加处罚款（元）", "money"),
    ), ("enforcement.demand_timing", "enforcement.outstanding", "service.method_details", "service.electronic_consent"),
        V.EV_DEMAND_SERVED, "served_on"),
    _a("apply_enforcement", "申请人民法院强制执行", (V.EXECUTION,), (
        F("applied_on", "申请日期", "date", True),
        F("demand_served_on", "催告书送达日期（未登记“送达催告书”时）", "date"),
        F("court", "人民法院", "text", True),
    ), ("enforcement.outstanding", "enforcement.remedy_pending", "enforcement.window", "enforcement.demand"),
        V.EV_ENFORCEMENT, "applied_on"),
    _a("record_education", "教育记录", (V.NO_PENALTY, V.SUMMARY_DECIDED, V.SERVED, V.EXECUTION, V.PERFORMED), (
        F("educated_on", "日期", "date", True),
        F("target", "对象", "choice", True, ("当事人", "监护人")),
        F("content", "教育内容", "text", True),
        F("officer_ids", "执法人员", "officers"),
    ), (), V.EV_EDUCATION, "educated_on"),
    _a("transfer_case", "移送", (V.LEAD, *V.PRE_DECISION), (
        F("transferred_on", "移送日期", "date", True),
        F("target", "移送对象", "choice", True, V.TRANSFER_TARGETS),
        F("receiver", "接收单位", "text", True),
        F("reason", "移送理由", "text", True),
        F("approved_by", "批准负责人", "officer"),
        F("basis", "移送依据（法律、法规、规章）", "text"),
        F("materials", "随函移送材料", "text", False, (), "多项以顿号“、”分隔"),
    ), (), V.EV_TRANSFERRED, "transferred_on"),
    _a("record_disclosure", "登记公示", (*_AFTER_DECISION, V.CLOSED), (
        F("published_on", "公示日期", "date", True),
        F("channel", "公示平台", "text", True),
        F("masked", "已遮蔽个人信息", "bool"),
    ), ("decision.exists", "disclosure.masked"), V.EV_DISCLOSED, "published_on"),
    _a("withdraw_disclosure", "撤回公示", (*_AFTER_DECISION, V.CLOSED, V.REVOKED), (
        F("withdrawn_on", "撤回日期", "date", True),
        F("reason", "撤回理由", "text", True),
    ), ("disclosure.exists",), V.EV_DISCLOSURE_WITHDRAWN, "withdrawn_on"),
    _a("extend_deadline", "延长办案期限", (*V.PRE_DECISION,), (
        F("approved_on", "批准日期", "date", True),
        F("days", "延长日数", "int", True),
        F("basis", "延长依据（法律、法规、规章）", "text", True),
        F("reason", "理由", "text", True),
        F("approved_by", "批准负责人", "officer", True),
    ), ("clock.extension_approval",), V.EV_EXTENDED, "approved_on"),
    _a("exclude_period", "扣除办案期间", (*V.PRE_DECISION,), (
        F("from", "开始日期", "date", True),
        F("to", "结束日期", "date", True),
        F("reason", "事由", "choice", True, ("听证", "公告送达", "检测、检验、检疫、鉴定", "其他")),
        F("note", "说明", "text"),
    ), (), V.EV_EXCLUDED, None),
    _a("close_case", "结案", (V.SERVED, V.EXECUTION, V.PERFORMED, V.NO_PENALTY, V.SUMMARY_DECIDED, V.REVOKED), (
        F("closed_on", "结案日期", "date", True),
        F("summary", "结案报告", "text", True),
        F("approved_by", "批准负责人", "officer"),
    ), ("close.served", "close.paid", "education.required", "preserve.unhandled", "disclosure.due"),
        V.EV_CLOSED, "closed_on"),
    _a("archive_case", "归档", (V.CLOSED, V.NOT_FILED, V.TRANSFERRED), (
        F("archived_on", "归档日期", "date", True),
        F("archive_no", "档案号", "text", True),
    ), (), V.EV_ARCHIVED, "archived_on"),
    _a("summary_penalty", "当场处罚（简易程序）", (V.LEAD,), (
        F("decided_on", "处罚日期", "date", True),
        F("decision_number", "当场处罚决定书编号（预定格式、编有号码）", "text", True),
        F("party", "当事人", "party", True),
        F("item_code", "执法事项", "item", True),
        F("violation_date", "违法行为发生日期", "date", True),
        F("place", "地点", "text", True),
        F("facts", "违法事实", "text", True),
        F("kinds", "处罚种类（警告或罚款）", "multichoice", True, V.PENALTY_KINDS),
        AMOUNT, MITIGATION, FACTORS, QUANTITY,
        F("basis", "处罚依据", "text", True),
        F("facts_certain", "违法事实确凿并有法定依据", "bool", True),
        OFFICERS,
        F("party_signed", "当事人签收", "bool"),
    ), (*_OFFICER_RULES, "catalog.item_active", "limitation.period", "minor.under_14", "minor.mitigation",
        "summary.limits", "summary.facts_certain", "penalty.kinds", "penalty.amount_range", "penalty.one_fine"),
        V.EV_SUMMARY, "decided_on", True),
    _a("record_correction", "更正记录", (*_NOT_FINAL, V.CLOSED, V.NOT_FILED, V.TRANSFERRED), (
        F("target_event_id", "被更正的记录", "event", True),
        F("replacement", "更正后的内容", "payload", True),
        F("reason", "更正理由", "text", True),
        F("corrected_on", "更正日期", "date", True),
    ), ("correction.target",), V.EV_CORRECTED, "corrected_on"),
)

ACTIONS: dict[str, ActionSpec] = {a.key: a for a in _LIST}
EVENT_ACTION: dict[str, str] = {a.event_type: a.key for a in _LIST}

# actions not offered as "next steps" (they remain available on demand)
UTILITY_ACTIONS = frozenset(
    {"record_correction", "record_recusal", "flag_case", "extend_deadline", "exclude_period", "record_remedy",
     "withdraw_disclosure", "order_correction", "choose_procedure", "confirm_service_address", "record_service_receipt",
     "approve_deferral"}
)
