"""Records of a folded case: one applied event (:class:`Rec`), the party (:class:`Party`), value parsing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any


def to_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def to_money(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Rec:
    """One applied event: its id, sequence, type and (possibly corrected) payload."""

    seq: int
    event_id: str
    type: str
    actor_id: str
    payload: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.payload.get(key, default)

    def day(self, key: str) -> date | None:
        return to_date(self.payload.get(key))

    def money(self, key: str) -> Decimal | None:
        return to_money(self.payload.get(key))

    def kinds(self) -> tuple[str, ...]:
        return tuple(self.payload.get("kinds") or ())


@dataclass(frozen=True)
class Party:
    """当事人: kind individual / organisation / sole_trader (个体工商户)."""

    kind: str
    name: str
    id_number: str | None = None  # 身份证号码 (individual, 个体工商户 operator)
    credit_code: str | None = None  # 统一社会信用代码
    birth_date: date | None = None
    address: str | None = None
    phone: str | None = None
    legal_representative: str | None = None

    @property
    def party_id(self) -> str | None:
        return self.credit_code or self.id_number if self.kind != "individual" else self.id_number

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Party:
        return cls(
            kind=str(data.get("kind") or "individual"),
            name=str(data.get("name") or ""),
            id_number=data.get("id_number") or None,
            credit_code=data.get("credit_code") or None,
            birth_date=to_date(data.get("birth_date")),
            address=data.get("address") or None,
            phone=data.get("phone") or None,
            legal_representative=data.get("legal_representative") or None,
        )
