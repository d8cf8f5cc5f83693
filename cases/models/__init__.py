"""The models of the cases app, by subdomain: the violation catalogue, classification of the
ledger's problems, and cases with their steps and clocks. Imported from here everywhere."""

from cases.models.case import (
    Case,
    CaseEvent,
    CasePause,
    CaseProblem,
    Deadline,
    DeadlineReminder,
)
from cases.models.catalogue import ViolationType
from cases.models.classification import CASE_PATHS, Classification, Path
from cases.models.discretion import DiscretionRecord
from cases.models.document import CaseDocument, ServiceRecord
from cases.models.measure import DailyCycle, Measure, MeasureEvent
from cases.models.notice import Notice, NoticeEvent, NoticeItem, Reply
from cases.models.numbering import DocumentCounter

__all__ = [
    "CASE_PATHS",
    "Case",
    "CaseDocument",
    "CaseEvent",
    "CasePause",
    "CaseProblem",
    "Classification",
    "DailyCycle",
    "Deadline",
    "DeadlineReminder",
    "DiscretionRecord",
    "DocumentCounter",
    "Measure",
    "MeasureEvent",
    "Notice",
    "NoticeEvent",
    "NoticeItem",
    "Path",
    "Reply",
    "ServiceRecord",
    "ViolationType",
]
