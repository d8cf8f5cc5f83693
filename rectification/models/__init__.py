"""The models of the rectification app, by subdomain: the plan and its items (with measures,
milestones, progress, evidence and extensions), verification and 销号 with the "facility not
built" proposals, and guidance. Imported from here everywhere."""

from rectification.models.guidance import GuidanceActivity
from rectification.models.plan import (
    Extension,
    ExtensionEvent,
    ItemEvent,
    ItemEvidence,
    ItemMeasure,
    Milestone,
    ProgressReport,
    RectificationItem,
    RectificationPlan,
)
from rectification.models.verification import FacilityProposal, ItemCheck, ProposalEvent

__all__ = [
    "Extension",
    "ExtensionEvent",
    "FacilityProposal",
    "GuidanceActivity",
    "ItemCheck",
    "ItemEvent",
    "ItemEvidence",
    "ItemMeasure",
    "Milestone",
    "ProgressReport",
    "ProposalEvent",
    "RectificationItem",
    "RectificationPlan",
]
