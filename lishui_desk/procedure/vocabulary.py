"""Vocabulary of the procedure engine: stages, event types, sources, evidence kinds, penalty kinds.

Stage keys are stable ASCII identifiers (stored nowhere: the stage is always derived from events);
labels are the Chinese names shown to officers. Event types are stored in ``CaseEvent.type`` and
must never be renamed once released.
"""

from __future__ import annotations

# --- stages 办案环节 -----------------------------------------------------------------------
NEW = "new"  # no event yet
LEAD = "lead"  # 线索
FILED = "filed"  # 立案
INVESTIGATION = "investigation"  # 调查取证
NOTIFIED = "notified"  # 告知 (事先告知)
STATEMENT = "statement"  # 陈述申辩/听证
LEGAL_REVIEW = "legal_review"  # 法制审核
COLLECTIVE = "collective"  # 集体讨论
DECIDED = "decided"  # 决定
SERVED = "served"  # 送达
EXECUTION = "execution"  # 执行
PERFORMED = "performed"  # 履行完毕 (fine and 加处罚款 paid in full)
CLOSED = "closed"  # 结案
ARCHIVED = "archived"  # 归档
# branches
NOT_FILED = "not_filed"  # 不予立案
NO_PENALTY = "no_penalty"  # 不予处罚
TRANSFERRED = "transferred"  # 移送
REVOKED = "revoked"  # 撤销立案
# 简易程序 path: 当场处罚 (with 当场送达) → 缴款 (EXECUTION) → 结案
SUMMARY_DECIDED = "summary_decided"

STAGE_LABELS: dict[str, str] = {
    NEW: "新建",
    LEAD: "线索",
    FILED: "立案",
    INVESTIGATION: "调查取证",
    NOTIFIED: "告知",
    STATEMENT: "陈述申辩/听证",
    LEGAL_REVIEW: "法制审核",
    COLLECTIVE: "集体讨论",
    DECIDED: "决定",
    SERVED: "送达",
    EXECUTION: "执行",
    PERFORMED: "履行完毕",
    CLOSED: "结案",
    ARCHIVED: "归档",
    NOT_FILED: "不予立案",
    NO_PENALTY: "不予处罚",
    TRANSFERRED: "移送",
    REVOKED: "撤销立案",
    SUMMARY_DECIDED: "当场处罚",
}

# stages of an open ordinary case before the decision
PRE_DECISION = (FILED, INVESTIGATION, NOTIFIED, STATEMENT, LEGAL_REVIEW, COLLECTIVE)
TERMINAL = (CLOSED, ARCHIVED, NOT_FILED, TRANSFERRED, REVOKED)

# --- procedure 程序 ------------------------------------------------------------------------
SUMMARY = "简易"
ORDINARY = "普通"
PROCEDURES = (SUMMARY, ORDINARY)

# --- case sources 案件来源 -------------------------------------------------------------------
SOURCES = ("巡查发现", "群众举报/12345", "上级交办", "部门移送", "基层治理四平台")

# --- party kinds 当事人类型 ----------------------------------------------------------------
INDIVIDUAL = "individual"
ORGANISATION = "organisation"
SOLE_TRADER = "sole_trader"  # 个体工商户
PARTY_KINDS = (INDIVIDUAL, ORGANISATION, SOLE_TRADER)
PARTY_KIND_LABELS = {INDIVIDUAL: "公民", ORGANISATION: "法人或者其他组织", SOLE_TRADER: "个体工商户"}

# --- evidence kinds 证据种类 (《行政处罚法》第四十六条) ------------------------------------
EVIDENCE_KINDS = (
    "书证",
    "物证",
    "视听资料",
    "电子数据",
    "证人证言",
    "当事人的陈述",
    "鉴定意见",
    "勘验笔录、现场笔录",
)

# --- service methods 送达方式 (《民事诉讼法》第八十八条至第九十五条) ---------------------------
SERVICE_DIRECT = "直接送达"
SERVICE_LEFT = "留置送达"
SERVICE_POST = "邮寄送达"
SERVICE_ELECTRONIC = "电子送达"
SERVICE_NOTICE = "公告送达"
SERVICE_ENTRUSTED = "委托送达"  # 《民事诉讼法》第九十一条
SERVICE_FORWARDED = "转交送达"  # 《民事诉讼法》第九十二条至第九十四条
SERVICE_METHODS = (SERVICE_DIRECT, SERVICE_LEFT, SERVICE_POST, SERVICE_ELECTRONIC, SERVICE_NOTICE, SERVICE_ENTRUSTED,
                   SERVICE_FORWARDED)

# --- penalty kinds 处罚种类 (《行政处罚法》第九条; 行政拘留 is never a township power, Art. 18) ----
WARNING = "警告"
CRITICISM = "通报批评"
FINE = "罚款"
CONFISCATE_GAINS = "没收违法所得"
CONFISCATE_PROPERTY = "没收非法财物"
SUSPEND_LICENCE = "暂扣许可证件"
DOWNGRADE = "降低资质等级"
REVOKE_LICENCE = "吊销许可证件"
RESTRICT_BUSINESS = "限制开展生产经营活动"
STOP_PRODUCTION = "责令停产停业"
CLOSE_DOWN = "责令关闭"
BAR_OCCUPATION = "限制从业"
PENALTY_KINDS = (
    WARNING,
    CRITICISM,
    FINE,
    CONFISCATE_GAINS,
    CONFISCATE_PROPERTY,
    SUSPEND_LICENCE,
    DOWNGRADE,
    REVOKE_LICENCE,
    RESTRICT_BUSINESS,
    STOP_PRODUCTION,
    CLOSE_DOWN,
    BAR_OCCUPATION,
)
# kinds that always carry the right to a hearing (《行政处罚法》第六十三条第一款第三项、第四项)
HEARING_KINDS = frozenset({DOWNGRADE, REVOKE_LICENCE, STOP_PRODUCTION, CLOSE_DOWN, BAR_OCCUPATION})
# 没收 carries it only for 较大数额违法所得 / 较大价值非法财物 (第六十三条第一款第二项; amount set locally)
CONFISCATION_KINDS = frozenset({CONFISCATE_GAINS, CONFISCATE_PROPERTY})
# kinds whose order of severity is compared for "no heavier than notified"
SUMMARY_KINDS = frozenset({WARNING, FINE})  # 《行政处罚法》第五十一条

# --- decision outcomes 处理决定 (《行政处罚法》第五十七条) --------------------------------------
OUTCOME_PENALTY = "处罚"
OUTCOME_NO_PENALTY = "不予处罚"
OUTCOME_TRANSFER = "移送"
OUTCOME_REVOKE = "撤销立案"
OUTCOMES = (OUTCOME_PENALTY, OUTCOME_NO_PENALTY, OUTCOME_TRANSFER, OUTCOME_REVOKE)

# grounds for 不予处罚
NO_PENALTY_GROUNDS = (
    "违法行为轻微并及时改正，没有造成危害后果",  # Art. 33 para 1 sentence 1 (mandatory)
    "首违不罚",  # Art. 33 para 1 sentence 2 (discretionary)
    "无主观过错",  # Art. 33 para 2
    "违法事实不能成立",  # Art. 57 (三)
    "不满十四周岁",  # Art. 30
)
GROUND_MINOR_FIRST = "违法行为轻微并及时改正，没有造成危害后果"
GROUND_FIRST_OFFENCE = "首违不罚"
GROUND_FACTS_NOT_ESTABLISHED = "违法事实不能成立"
GROUND_UNDER_14 = "不满十四周岁"

MITIGATIONS = ("无", "从轻", "减轻", "从重")

# --- review / hearing vocabulary ----------------------------------------------------------
REVIEW_APPROVED = "同意"
REVIEW_PROBLEMS = "存在问题"
REVIEW_RESULTS = (REVIEW_APPROVED, REVIEW_PROBLEMS)
HEARING_RESULTS = ("已举行", "当事人放弃", "当事人无正当理由未出席")
WAIVER_SCOPES = ("陈述申辩", "听证", "陈述申辩和听证")
CASE_FLAGS = ("涉及重大公共利益", "直接关系重大权益", "疑难复杂", "涉及多个法律关系", "情节复杂", "重大违法行为")
ROLES = ("officer", "leader", "reviewer", "auxiliary")
TRANSFER_TARGETS = ("县级主管部门", "司法机关", "其他行政机关")
# 调查终结 处理建议 (《行政处罚法》第五十七条第一款)
PROPOSE_PENALTY = "给予行政处罚"
PROPOSE_NO_PENALTY = "不予行政处罚"
PROPOSE_TRANSFER = "移送"
PROPOSE_REVOKE = "撤销立案"
INVESTIGATION_PROPOSALS = (PROPOSE_PENALTY, PROPOSE_NO_PENALTY, PROPOSE_TRANSFER, PROPOSE_REVOKE)

# --- event types (stored) ----------------------------------------------------------------
EV_LEAD = "lead.registered"
EV_NOT_FILED = "lead.declined"
EV_PROCEDURE = "case.procedure_chosen"
EV_FILED = "case.filed"
EV_FLAGGED = "case.flagged"
EV_INSPECTION = "investigation.inspection"
EV_INQUIRY = "investigation.inquiry"
EV_SUMMONS = "investigation.summons"  # 调查通知
EV_CONCLUDED = "investigation.concluded"  # 调查终结
EV_SERVICE_ADDRESS = "service.address_confirmed"  # 送达地址确认
EV_EVIDENCE = "evidence.added"
EV_PRESERVED = "evidence.preserved"
EV_PRESERVED_HANDLED = "evidence.preservation_handled"
EV_CORRECTION_ORDER = "case.correction_ordered"
EV_RECUSAL = "case.recusal"
EV_NOTICE = "notice.issued"
EV_NOTICE_SERVED = "notice.served"
EV_STATEMENT = "statement.recorded"
EV_STATEMENT_REVIEWED = "statement.reviewed"
EV_WAIVER = "rights.waived"
EV_HEARING_REQUESTED = "hearing.requested"
EV_HEARING_SCHEDULED = "hearing.scheduled"
EV_HEARING_HELD = "hearing.recorded"
EV_REVIEW_REQUESTED = "review.requested"
EV_REVIEW_OPINION = "review.opinion"
# County-side events (DESIGN §5): recorded at the county hub, appended on the desktop when a sync
# brings them. A 法制审核 opinion from the county counts as the case's review opinion (Art. 58).
EV_COUNTY_REVIEW_OPINION = "county.review_opinion"
COUNTY_EVENT_LABELS = {EV_COUNTY_REVIEW_OPINION: "县级法制审核意见"}
EV_COLLECTIVE = "collective.discussed"
EV_DECIDED = "decision.made"
EV_DECISION_SERVED = "decision.served"
EV_SUMMARY = "summary.decided"
EV_PAYMENT = "payment.recorded"
EV_REMEDY = "remedy.recorded"  # 行政复议/行政诉讼 period (pauses the late fee)
EV_ENFORCEMENT = "enforcement.applied"
EV_DEFERRED = "payment.deferral_approved"  # 暂缓或者分期缴纳 (《行政处罚法》第六十六条第二款)
EV_DEMAND_SERVED = "enforcement.demand_served"  # 催告书送达 (《行政强制法》第五十四条)
EV_SERVICE_RECEIPT = "service.receipt_recorded"  # 邮寄回执 / 电子送达到达 (《民事诉讼法》第九十条、第九十一条)
EV_EDUCATION = "education.recorded"
EV_TRANSFERRED = "case.transferred"
EV_DISCLOSED = "disclosure.published"
EV_DISCLOSURE_WITHDRAWN = "disclosure.withdrawn"
EV_EXTENDED = "clock.extended"
EV_EXCLUDED = "clock.excluded"
EV_CLOSED = "case.closed"
EV_ARCHIVED = "case.archived"
EV_CORRECTED = "event.corrected"
EV_FORK = "sync.fork_detected"
# Two devices wrote the same case offline (a fork, lishui_desk.graph): a named person records which
# branch stands; payload parents = both heads, adopt = one head's hash or "both", reason.
EV_FORK_RESOLVED = "case.fork_resolved"
FORK_EVENT_LABELS = {EV_FORK_RESOLVED: "分叉处理"}
# record-type events that change no stage by themselves: a resolution may keep a second branch
# made only of these ("both") when folding them in leaves the stage where the adopted branch has it
RECORD_ONLY_EVENTS = frozenset({EV_INSPECTION, EV_INQUIRY, EV_SUMMONS, EV_EVIDENCE, EV_EDUCATION})
EV_DOCUMENT_ISSUED = "document.issued"  # 出具文书: number, content digest, PDF hash (forms.service)

# events after which an earlier 法制审核 opinion no longer covers the file
SUBSTANTIVE_EVENTS = frozenset(
    {
        EV_FILED,
        EV_INSPECTION,
        EV_INQUIRY,
        EV_EVIDENCE,
        EV_CONCLUDED,
        EV_NOTICE,
        EV_STATEMENT_REVIEWED,
        EV_HEARING_HELD,
        EV_FLAGGED,
        EV_CORRECTED,
    }
)
