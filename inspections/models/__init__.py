"""The models of the inspections app, by subdomain: the catalogue, evidence, the self-check
(stage 1), the problem ledger and the on-site record (stage 2). Imported from here everywhere."""

from inspections.models.catalogue import (
    Area,
    CampaignCatalogue,
    CatalogueVersion,
    CheckItem,
    ProblemKind,
)
from inspections.models.evidence import Evidence
from inspections.models.ledger import Problem, ProblemEvent
from inspections.models.onsite import (
    Inspection,
    InspectionEvent,
    InspectionFinding,
    InspectionMember,
)
from inspections.models.selfcheck import (
    SelfCheck,
    SelfCheckAnswer,
    SelfCheckEvent,
    SelfCheckSubmission,
)

__all__ = [
    "Area",
    "CampaignCatalogue",
    "CatalogueVersion",
    "CheckItem",
    "Evidence",
    "Inspection",
    "InspectionEvent",
    "InspectionFinding",
    "InspectionMember",
    "Problem",
    "ProblemEvent",
    "ProblemKind",
    "SelfCheck",
    "SelfCheckAnswer",
    "SelfCheckEvent",
    "SelfCheckSubmission",
]
