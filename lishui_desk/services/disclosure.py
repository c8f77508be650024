"""公示 disclosure: the redacted public record of a penalty decision (行政处罚法 Art. 48, privacy per
Art. 50; 国办发〔2018〕118号 事后公开 within 7 working days).

The record carries only what publication needs — decision number, the party as masked by policy
(individuals: masked name and ID number; organisations: name and 统一社会信用代码), the violation
type, the penalty, its basis, the deciding agency and date — and never phone numbers or addresses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from lishui_desk.errors import InvalidInput
from lishui_desk.identity import mask_id, mask_name
from lishui_desk.models import Township
from lishui_desk.policy import Policy
from lishui_desk.services import cases, reference
from lishui_desk.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DisclosureRecord:
    decision_number: str | None
    party: str
    party_code: str | None  # masked ID number (individual) or credit code (organisation)
    violation: str
    penalty: str
    basis: str | None
    agency: str
    decided_on: str | None
    publish_by: str | None  # the 7-working-day due date (None when the calendar cannot tell)
    published: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_record(uow: UnitOfWork, case_id: str, policy: Policy | None = None) -> DisclosureRecord:
    """The record as of the unit of work's date, under ``policy`` or the policy in force then."""
    pol = (policy or reference.policy_on(uow.session, uow.today)).disclosure
    view = cases.view(uow, case_id)
    st = view.state
    if st.decision is None or st.party is None:
        raise InvalidInput("案件尚未作出处罚决定，无需公示（《行政处罚法》第四十八条）")
    dec = st.decision
    party = st.party
    if party.kind == "organisation":
        name, code = party.name, party.credit_code
    else:
        name = mask_name(party.name) if pol.mask_individual_name else party.name
        raw_id = party.id_number or party.credit_code
        code = (mask_id(raw_id) if pol.mask_id_number else raw_id) if raw_id else None
    kinds = list(dec.kinds())
    penalty = "、".join(kinds)
    if st.amount is not None:
        penalty += f"（罚款人民币{st.amount:.2f}元）"
    due = next((d for d in view.deadlines if d.key == "disclosure.publish"), None)
    agency = uow.session.get(Township, st.township_code or uow.township_code)
    agency_name = agency.agency_name if agency else ""
    return DisclosureRecord(
        decision_number=dec.get("decision_number"),
        party=name,
        party_code=code,
        violation=st.item_name or "",
        penalty=penalty or str(dec.get("outcome") or ""),
        basis=dec.get("basis"),
        agency=agency_name,
        decided_on=st.decided_on.isoformat() if st.decided_on else None,
        publish_by=due.due.isoformat() if due and due.due else None,
        published=bool(st.disclosures),
    )


def needs_publication(uow: UnitOfWork, case_id: str) -> bool:
    """The engine's own answer: a decision that policy publishes has a 公示 deadline."""
    return any(d.key == "disclosure.publish" for d in cases.view(uow, case_id).deadlines)
