"""Stage 5 (异地核查) by subdomain: the verification round with its replayable sample (`round`),
its teams with their replayable draw and the conflicts people declare (`team`), the verification
record with its findings, signatures and the accountability they open (`record`)."""

from crosscheck.models.record import (
    Accountability,
    AccountabilityEvent,
    Capacity,
    Finding,
    FindingPerson,
    RecordEvent,
    RecordSignature,
    VerificationRecord,
)
from crosscheck.models.round import (
    DrawReplay,
    RoundEvent,
    SampleDraw,
    SampledUnit,
    VerificationRound,
)
from crosscheck.models.team import ConflictDeclaration, Team, TeamDraw, TeamMember

__all__ = [
    "Accountability",
    "AccountabilityEvent",
    "Capacity",
    "ConflictDeclaration",
    "DrawReplay",
    "Finding",
    "FindingPerson",
    "RecordEvent",
    "RecordSignature",
    "RoundEvent",
    "SampleDraw",
    "SampledUnit",
    "Team",
    "TeamDraw",
    "TeamMember",
    "VerificationRecord",
    "VerificationRound",
]
