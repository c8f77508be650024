"""SQLAlchemy 2 typed models of the profile database."""

from lishui_desk.models.base import Base, new_id, utcnow_iso
from lishui_desk.models.case import Case, CaseEvent, EvidenceItem, IssuedDocument
from lishui_desk.models.ops import (
    DocumentDefinition,
    Draft,
    NumberBlock,
    OutboxEntry,
    ProfileMeta,
    ReferenceCursor,
    ReferenceVersion,
)
from lishui_desk.models.reference import CatalogVersion, EnforcementItem, Officer, Township
from lishui_desk.models.seal import RecordHead, RecordSeal

__all__ = [
    "Base",
    "Case",
    "CaseEvent",
    "CatalogVersion",
    "DocumentDefinition",
    "Draft",
    "EnforcementItem",
    "EvidenceItem",
    "IssuedDocument",
    "NumberBlock",
    "Officer",
    "OutboxEntry",
    "ProfileMeta",
    "RecordHead",
    "RecordSeal",
    "ReferenceCursor",
    "ReferenceVersion",
    "Township",
    "new_id",
    "utcnow_iso",
]
