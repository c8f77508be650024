"""Builds the procedure engine's ``EngineContext`` from the profile database: the catalog, the
roster, prior cases, and the policy and working-day calendar held by the profile
(``services.reference``) — never the bundled files directly."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lishui_desk import catalog_data
from lishui_desk.models import Case, CatalogVersion, EnforcementItem, Officer
from lishui_desk.procedure.types import EngineContext, OfficerInfo, PriorCase


def item_seed(row: EnforcementItem) -> catalog_data.ItemSeed:
    return catalog_data.parse_item(row.raw)


class DbCatalogLookup:
    """``item_on``: the item as listed in the catalog version effective on the date (Art. 24)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[tuple[str, str, date], catalog_data.ItemSeed | None] = {}

    def version_on(self, township_code: str, on_date: date) -> CatalogVersion | None:
        return self.session.scalars(
            select(CatalogVersion)
            .where(CatalogVersion.township_code == township_code, CatalogVersion.effective_from <= on_date)
            .order_by(CatalogVersion.effective_from.desc(), CatalogVersion.id.desc())
            .limit(1)
        ).first()

    def item_on(self, township_code: str, item_code: str, on_date: date) -> catalog_data.ItemSeed | None:
        key = (township_code, item_code, on_date)
        if key not in self._cache:
            self._cache[key] = self._lookup(township_code, item_code, on_date)
        return self._cache[key]

    def _lookup(self, township_code: str, item_code: str, on_date: date) -> catalog_data.ItemSeed | None:
        version = self.version_on(township_code, on_date)
        if version is None:
            return None
        row = self.session.scalars(
            select(EnforcementItem).where(
                EnforcementItem.catalog_version_id == version.id, EnforcementItem.code == item_code
            )
        ).first()
        if row is None:
            return None
        if row.status != "active" and not (row.withdrawn_on and row.withdrawn_on > on_date):
            return None
        return item_seed(row)

    def any_item(self, item_code: str) -> catalog_data.ItemSeed | None:
        """The item from any township's catalog (for naming an item the township lacks → 移送)."""
        row = self.session.scalars(
            select(EnforcementItem).where(EnforcementItem.code == item_code).order_by(EnforcementItem.id.desc())
        ).first()
        return item_seed(row) if row else None


class DbOfficerLookup:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[str, OfficerInfo | None] = {}

    def get(self, officer_id: str) -> OfficerInfo | None:
        if officer_id not in self._cache:
            row = self.session.get(Officer, officer_id)
            self._cache[officer_id] = (
                OfficerInfo(row.id, row.name, row.cert_no, row.cert_valid_until, row.role, row.legal_qualification,
                            row.reviewer_since)
                if row
                else None
            )
        return self._cache[officer_id]


def prior_cases_query(session: Session, exclude_case: str | None = None):
    def prior(party_id: str) -> list[PriorCase]:
        if not party_id:
            return []
        stmt = select(Case).where(Case.party_id == party_id, Case.decided_on.is_not(None))
        if exclude_case:
            stmt = stmt.where(Case.id != exclude_case)
        return [
            PriorCase(c.id, c.case_number, c.decided_on, c.item_code, c.stage_label) for c in session.scalars(stmt)
        ]

    return prior


def engine_context(session: Session, today: date, township_code: str, case_id: str | None = None) -> EngineContext:
    """The context as of ``today``: the policy version in force that day and the profile's calendar."""
    from lishui_desk.services import reference

    return EngineContext(
        today=today,
        calendar=reference.calendar(session),
        policy=reference.policy_on(session, today),
        catalog=DbCatalogLookup(session),
        officers=DbOfficerLookup(session),
        prior_cases=prior_cases_query(session, case_id),
        township_code=township_code,
    )
