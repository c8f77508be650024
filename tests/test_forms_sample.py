"""A realistic Lishui sample case for document tests (龙泉市八都镇, 露天焚烧秸秆), and checks of it.

``sample_context()`` is also used by bench/bench_forms.py. The core builds real contexts later.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from forms.context import validate_context
from lishui_desk.errors import InvalidInput

AGENCY_CODE = "龙八综执"

_SAMPLE: dict[str, Any] = {
    "agency": {
        "name": "龙泉市八都镇人民政府",
        "code": AGENCY_CODE,
        "review_government": "龙泉市人民政府",
        "court": "龙泉市人民法院",
        "address": "浙江省龙泉市八都镇八都大街1号",
        "phone": "0578-7000000",
        "postcode": "323700",
        "head": "李建国",
        "legal_unit": "八都镇综合行政执法队法制审核组",
    },
    "case": {
        "number": "龙八综执立〔2026〕第12号",
        "title": "张三露天焚烧秸秆案",
        "filed_on": "2026-10-09",
        "source": "巡查发现",
        "procedure": "普通程序",
        "clue": "2026年10月8日执法队员巡查时发现八都镇竹垟村村口农田有人焚烧秸秆，现场烟尘较大。",
        "handler_opinion": "当事人涉嫌露天焚烧秸秆，属本机关赋权事项，在追责时效内，建议立案调查。",
        "head_opinion": "同意立案，由王小明、陈静负责调查。",
        "approved_by": "李建国",
        "approved_on": "2026-10-09",
        "not_filed_reason": "经核查，焚烧物为祭扫用纸钱且已自行熄灭，未产生烟尘污染，违法事实不能成立。",
        "closed_on": "2026-11-30",
    },
    "party": {
        "name": "张三",
        "kind": "个人",
        "you": "你",
        "id_number": "11010519491231002X",
        "sex": "女",
        "age": 76,
        "birth_date": "1949-12-31",
        "address": "浙江省龙泉市八都镇竹垟村128号",
        "phone": "13800000000",
        "work_unit": "无",
        "postcode": "323700",
    },
    "item": {
        "code": "330217119000",
        "name": "对露天焚烧秸秆、落叶等产生烟尘污染物质的行政处罚",
        "domain": "大气污染防治",
        "violation_basis_text": "《中华人民共和国大气污染防治法》第七十七条",
        "penalty_basis_text": "《中华人民共和国大气污染防治法》第一百一十九条第一款",
    },
    "facts": (
        "2026年10月8日10时许，当事人在龙泉市八都镇竹垟村村口西侧农田内露天焚烧水稻秸秆约200平方米，"
        "产生大量烟尘，影响周边村民生活。执法人员到场后，当事人自行将明火扑灭。\n"
        "上述事实有现场检查笔录、询问笔录、现场照片及视频等证据为证，当事人对违法事实无异议。"
    ),
    "violation": {"date": "2026-10-08", "place": "龙泉市八都镇竹垟村村口西侧农田"},
    "evidence": [
        {"kind": "现场笔录", "description": "现场检查（勘验）笔录一份", "sha256_prefix": "3f9a1c0e",
         "captured_by": "王小明", "captured_at": "2026-10-08T10:20:00+08:00"},
        {"kind": "视听资料", "description": "焚烧现场照片6张、执法记录仪视频1段", "sha256_prefix": "a71b22d4",
         "captured_by": "陈静", "captured_at": "2026-10-08T10:25:00+08:00"},
        {"kind": "当事人的陈述", "description": "询问（调查）笔录一份", "sha256_prefix": "0c5e9b77",
         "captured_by": "王小明", "captured_at": "2026-10-10T09:10:00+08:00"},
    ],
    "penalty": {
        "kinds": ["罚款"],
        "amount": "1000.00",
        "content": "罚款人民币壹仟元整",
        "reasoning": (
            "当事人焚烧面积较大，烟尘影响周边村民，但能主动扑灭明火、如实陈述违法事实，"
            "依照《龙泉市综合行政执法裁量基准》一般情形档次，决定处以罚款人民币壹仟元。"
        ),
        "correction": "立即停止露天焚烧秸秆行为，并清理焚烧残留物。",
    },
    "notice": {
        "number": "龙八综执罚先告〔2026〕第7号",
        "served_on": "2026-10-20",
        "proposed": "拟对当事人处以罚款人民币壹仟元整（¥1,000.00）。",
        "facts": "你于2026年10月8日10时许在龙泉市八都镇竹垟村村口西侧农田内露天焚烧水稻秸秆约200平方米，产生大量烟尘。",
    },
    "deadlines": {"payment_days": 15, "statement_days": 5, "hearing_days": 5, "correction_days": 3,
                  "correction_by": "2026-10-12", "preservation_days": 7, "reminder_days": 10},
    "payment": {
        "bank": "中国农业银行龙泉市支行",
        "account": "19-600101040000000",
        "account_name": "龙泉市财政局非税收入汇缴结算户",
        "method": "持本决定书到指定银行缴纳或通过浙江政务服务网（浙里办）缴纳",
    },
    "remedies": {"review_body": "龙泉市人民政府", "review_days": 60, "court": "龙泉市人民法院", "litigation_months": 6},
    "officers": [{"name": "王小明", "cert_no": "33110000101"}, {"name": "陈静", "cert_no": "33110000102"}],
    "officer1": {"name": "王小明", "cert_no": "33110000101"},
    "officer2": {"name": "陈静", "cert_no": "33110000102"},
    "recorder": "陈静",
    "hearing": {"time": "2026-10-30T09:30:00+08:00", "end": "2026-10-30T10:40:00+08:00",
                "place": "八都镇人民政府三楼会议室", "host": "周文", "clerk": "吴敏", "public": "公开",
                "investigators": ["王小明", "陈静"], "agents": ["张小三"],
                "investigator_statement": "调查人员陈述了违法事实、证据、处罚依据和拟处罚意见。",
                "party_statement": "当事人对事实无异议，请求从轻处罚。",
                "cross_examination": "当事人对现场照片和视频的真实性无异议。",
                "final_statement": "当事人表示今后不再焚烧秸秆。", "requested_on": "2026-10-22"},
    "review": {"opinion": "本案事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。",
               "reasons": "当事人已主动扑灭明火并如实陈述，裁量档次适当。", "reviewer": "周文",
               "reviewer_qualification": "法律职业资格证书 A20183301000000", "conclusion": "同意",
               "date": "2026-10-27"},
    "discussion": {"time": "2026-10-28T14:30:00+08:00", "end": "2026-10-28T15:20:00+08:00",
                   "place": "八都镇人民政府二楼会议室", "host": "李建国",
                   "attendees": ["李建国", "刘洋", "周文", "王小明"], "recorder": "吴敏", "reporter": "王小明",
                   "report": "承办人汇报了案件事实、证据、法律依据和拟处罚意见。",
                   "opinions": [{"name": "刘洋", "opinion": "同意承办人意见。"},
                                {"name": "周文", "opinion": "法制审核意见为同意，建议按一般情形处罚。"}],
                   "conclusion": "经集体讨论，决定对当事人处以罚款人民币壹仟元整。"},
    "investigation": {"summary": "经调查，当事人于2026年10月8日在竹垟村农田露天焚烧秸秆，事实清楚。",
                      "conclusion": "违法事实清楚，证据确凿。",
                      "proposal": "建议依照《中华人民共和国大气污染防治法》第一百一十九条第一款，处罚款人民币壹仟元整。",
                      "handler_opinion": "建议给予行政处罚。", "head_opinion": "同意。", "date": "2026-10-18"},
    "statement": {"time": "2026-10-22T09:00:00+08:00", "end": "2026-10-22T09:30:00+08:00",
                  "place": "八都镇综合行政执法队办公室",
                  "content": "我承认焚烧秸秆，当时不知道不能烧，家里困难，请求从轻处罚。",
                  "review": "经复核，当事人提出的理由不足以减轻处罚，维持拟处罚意见。"},
    "service": {"method": "直接送达", "doc_name": "行政处罚决定书", "doc_number": "龙八综执罚决〔2026〕第12号",
                "place": "浙江省龙泉市八都镇竹垟村128号", "address": "浙江省龙泉市八都镇竹垟村128号",
                "recipient": "张三", "date": "2026-11-03", "server": "王小明、陈静", "deemed_days": 30,
                "electronic_consent": "同意", "phone": "13800000000", "contact": "张三",
                "medium": "龙泉市人民政府门户网站"},
    "document": {"date": "2026-11-02"},
    "inspection": {"start": "2026-10-08T10:05:00+08:00", "end": "2026-10-08T10:40:00+08:00",
                   "place": "龙泉市八都镇竹垟村村口西侧农田", "present": ["张三"], "witness": "竹垟村村委会委员 赵四",
                   "findings": "现场可见约200平方米农田内水稻秸秆正在燃烧，浓烟向东飘散。当事人在场，自称系其焚烧。执法人员拍摄照片6张、录制视频1段。",
                   "notified": "执法人员已出示执法证件，告知当事人有申请回避、陈述和申辩的权利。"},
    "inquiry": {"start": "2026-10-10T09:00:00+08:00", "end": "2026-10-10T09:45:00+08:00",
                "place": "八都镇综合行政执法队办公室", "interviewee": "张三", "relation": "当事人", "times": 1,
                "qa": [{"q": "我们是八都镇综合行政执法队的执法人员，这是我们的执法证件，你看清楚了吗？", "a": "看清楚了。"},
                       {"q": "你是否申请执法人员回避？", "a": "不申请。"},
                       {"q": "2026年10月8日上午你在竹垟村村口农田做了什么？",
                        "a": "我把收割后的稻草堆起来烧掉，想给田里肥一下。"},
                       {"q": "你知道露天焚烧秸秆是违法的吗？", "a": "以前不知道，现在知道了。"}]},
    "summons": {"time": "2026-10-10T09:00:00+08:00", "place": "八都镇综合行政执法队办公室",
                "matters": "就你于2026年10月8日在竹垟村村口农田露天焚烧秸秆一事接受调查询问",
                "materials": ["居民身份证原件及复印件"], "contact": "王小明 0578-7000000"},
    "preservation": {"number": "龙八综执登存〔2026〕第3号", "date": "2026-10-08", "place": "八都镇综合行政执法队仓库",
                     "keeper": "陈静",
                     "items": [{"name": "打火机", "spec": "塑料一次性", "quantity": "1只", "note": "现场提取"},
                               {"name": "助燃汽油桶", "spec": "5升", "quantity": "1个", "note": "内余约1升"}],
                     "handling": "经审查，上述物品予以退还当事人。", "approved_by": "李建国"},
    "transfer": {"to": "龙泉市公安局", "reason": "当事人焚烧行为引发山林火灾，涉嫌失火罪。",
                 "basis": "《中华人民共和国行政处罚法》第二十七条第一款", "materials": ["案件调查材料", "现场照片"],
                 "contact": "王小明 0578-7000000"},
    "non_penalty": {"reason": "当事人系初次违法，危害后果轻微并已及时改正。",
                    "basis": "《中华人民共和国行政处罚法》第三十三条第一款",
                    "education": "执法人员已对当事人进行法治宣传教育，当事人表示不再焚烧秸秆。"},
    "reminder": {"number": "龙八综执催告〔2026〕第2号", "fine": "1000.00", "amount_due": "1000.00", "late_fee": "300.00",
                 "total": "1300.00", "days": 10},
    "closing": {"date": "2026-11-30", "execution": "当事人已于2026年11月10日缴纳罚款人民币壹仟元整。",
                "summary": "本案已依法作出处罚决定并执行完毕。", "handler_opinion": "建议结案。", "head_opinion": "同意结案。",
                "archive_no": "龙八综执档〔2026〕第12号"},
    "casefile": {"title": "张三露天焚烧秸秆案", "archive_no": "2026-处罚-012", "volume": "第1卷 共1卷",
                 "retention": "长期", "opened_on": "2026-10-09", "closed_on": "2026-11-30", "pages": 18,
                 "keeper": "吴敏", "filed_by": "王小明"},
    "toc": [{"title": "立案审批表", "number": "龙八综执立〔2026〕第12号", "date": "2026-10-09", "page": "1"},
            {"title": "行政处罚决定书", "number": "龙八综执罚决〔2026〕第12号", "date": "2026-11-02", "page": "2-3"}],
}


def sample_context() -> dict[str, Any]:
    """A deep copy of the sample case context (safe to mutate)."""
    return copy.deepcopy(_SAMPLE)


def test_sample_context_is_valid() -> None:
    validate_context(sample_context())


def test_unknown_key_is_refused_with_its_path() -> None:
    ctx = sample_context()
    ctx["party"]["nickname"] = "三儿"
    with pytest.raises(InvalidInput, match=r"party\.nickname"):
        validate_context(ctx)


def test_wrong_type_is_refused() -> None:
    ctx = sample_context()
    ctx["penalty"]["amount"] = "一千元"
    with pytest.raises(InvalidInput, match=r"penalty\.amount"):
        validate_context(ctx)
    ctx = sample_context()
    ctx["violation"]["date"] = "2026/10/08"
    with pytest.raises(InvalidInput, match=r"violation\.date"):
        validate_context(ctx)
    ctx = sample_context()
    ctx["evidence"][1]["captured_by"] = 7
    with pytest.raises(InvalidInput, match=r"evidence\[1\]\.captured_by"):
        validate_context(ctx)
