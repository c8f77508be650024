"""What a step form can fill in from what the case already records (every value stays editable).

Pure functions over the case state (``lishui_desk.procedure.state.CaseState``), its summary and the
township; the workspace calls :func:`known_values` when it opens a form."""

from __future__ import annotations

import dataclasses
from typing import Any

from lishui_desk.procedure import vocabulary as V

# 复议 within 60 days of receipt (《中华人民共和国行政复议法》第二十条), suit within six months
# (《中华人民共和国行政诉讼法》第四十六条)
REMEDIES = "如不服本决定，可以在收到本决定书之日起六十日内向{gov}申请行政复议，也可以在六个月内依法向{court}提起行政诉讼"

# the party (or its representative) is who is questioned, signs for service and signs a waiver
_PARTY_NAME_FIELDS = {("record_inquiry", "person"), ("serve_notice", "receiver"), ("serve_decision", "receiver"),
                      ("record_waiver", "signed_by")}
_PLACE_ACTIONS = ("file_case", "record_inspection", "record_inquiry", "summary_penalty", "preserve_evidence")


def _latest(recs: list[Any]) -> dict[str, Any]:
    return dict(recs[-1].payload) if recs else {}


def _iso(d: Any) -> str | None:
    return d.isoformat() if hasattr(d, "isoformat") else (str(d) if d else None)


def _party_signer(party: Any) -> str | None:
    if party is None:
        return None
    if party.kind == V.ORGANISATION and party.legal_representative:
        return party.legal_representative
    return party.name


def known_values(spec: Any, state: Any, summary: dict[str, Any], *, item: Any = None,
                 township: Any = None, evidence: list[Any] | None = None) -> dict[str, Any]:
    """Form values for ``spec`` that the case already knows."""
    out: dict[str, Any] = {}
    names = {f.name for f in spec.fields}
    lead = dict(state.lead.payload) if state is not None and getattr(state, "lead", None) else {}
    notice = _latest(getattr(state, "notices", []) or []) if state is not None else {}
    for f in spec.fields:
        n = f.name
        if f.kind == "party" and state is not None and state.party is not None:
            out[n] = {k: v for k, v in dataclasses.asdict(state.party).items() if v is not None and k != "birth_date"}
        elif n in ("item_code", "violation_date", "violation_end_date") and summary.get(n):
            out[n] = summary[n]
        elif n == "officer_ids" and f.kind == "officers" and summary.get("officer_ids"):
            out[n] = list(summary["officer_ids"])
        elif (spec.key, n) in _PARTY_NAME_FIELDS and state is not None:
            signer = _party_signer(state.party)
            if signer:
                out[n] = signer
        elif n == "person_role" and spec.key == "record_inquiry" and state is not None and state.party is not None:
            out[n] = "当事人"
    if state is None:
        return out
    place = state.place or lead.get("place")
    if "place" in names and spec.key in _PLACE_ACTIONS and place:
        out["place"] = place
    if "discovered_date" in names and (state.discovered_date or state.lead_on):
        out["discovered_date"] = _iso(state.discovered_date or state.lead_on)
    if spec.key == "file_case" and "facts" in names and (state.facts or lead.get("summary")):
        out["facts"] = state.facts or lead.get("summary")
    if spec.key in ("issue_notice", "decide", "summary_penalty", "request_legal_review"):
        for key in ("kinds", "amount", "mitigation", "factors", "quantity"):
            if key in names and notice.get(key) not in (None, "", []):
                out[key] = notice[key]
        if "facts" in names and spec.key != "request_legal_review":
            facts = notice.get("facts") or state.facts
            if facts:
                out["facts"] = facts
        if "basis" in names:
            basis = notice.get("basis") or (item.penalty_basis_text() if item is not None else None)
            if basis:
                out["basis"] = basis
    decision = dict(state.decision.payload) if getattr(state, "decision", None) else {}
    if spec.key == "record_payment" and decision.get("amount") not in (None, "") and "amount" in names:
        out["amount"] = str(decision["amount"])
    if spec.key == "decide":
        if notice:
            out.setdefault("outcome", V.OUTCOME_PENALTY)
        if "evidence_summary" in names and evidence:
            out["evidence_summary"] = "；".join(f"{e.kind}：{e.description}" for e in evidence if e.description)
        if township is not None:
            gov = getattr(township, "review_body", None) or getattr(township, "review_government", None)
            court = getattr(township, "court", None)
            if "remedies" in names and gov and court:
                out["remedies"] = REMEDIES.format(gov=gov, court=court)
            if "agency" in names and getattr(township, "agency_name", None):
                out["agency"] = township.agency_name
    return out
