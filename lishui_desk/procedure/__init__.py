"""Procedure engine (办案程序引擎), pure: case state folded from events, guards, transitions, deadlines.

Public API::

    fold(events) -> CaseState
    engine.check / apply / next_steps / missing / deadlines (with an EngineContext)
    ACTIONS (the action table), RULES (the guard table), vocabulary (stages, event types …)
"""

from lishui_desk.procedure import engine, vocabulary
from lishui_desk.procedure.actions import ACTIONS
from lishui_desk.procedure.engine import apply, check, deadlines, missing, next_steps
from lishui_desk.procedure.guards import RULES
from lishui_desk.procedure.state import CaseState, Party, Rec, fold
from lishui_desk.procedure.types import (
    ActionSpec,
    CatalogLookup,
    DeadlineInfo,
    EngineContext,
    EventDraft,
    FieldSpec,
    NextStep,
    OfficerInfo,
    OfficerLookup,
    PriorCase,
    Violation,
)

__all__ = [
    "ACTIONS",
    "RULES",
    "ActionSpec",
    "CaseState",
    "CatalogLookup",
    "DeadlineInfo",
    "EngineContext",
    "EventDraft",
    "FieldSpec",
    "NextStep",
    "OfficerInfo",
    "OfficerLookup",
    "Party",
    "PriorCase",
    "Rec",
    "Violation",
    "apply",
    "check",
    "deadlines",
    "engine",
    "fold",
    "missing",
    "next_steps",
    "vocabulary",
]
