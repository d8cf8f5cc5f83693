"""The campaign app's models, by subdomain; imported from here everywhere."""

from campaign.models.calendar import Campaign, StageWindow
from campaign.models.complaints import Complaint, ComplaintAttachment, ComplaintTransition
from campaign.models.core import AccessGrant, Industry, Region, User
from campaign.models.integrity import (
    Assignment,
    IntegrityCommitment,
    IntegrityDocument,
    IntegritySelfCheck,
)
from campaign.models.jobs import Job, JobEvent
from campaign.models.organisation import (
    LiaisonPerson,
    LiaisonTable,
    PoolImport,
    PoolMembership,
    RosterGroup,
    RosterMember,
)
from campaign.models.uploads import ResumableUpload
from campaign.models.workdays import HolidayDate, HolidayYear

__all__ = [
    "AccessGrant",
    "Assignment",
    "Campaign",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintTransition",
    "HolidayDate",
    "HolidayYear",
    "Industry",
    "IntegrityCommitment",
    "IntegrityDocument",
    "IntegritySelfCheck",
    "Job",
    "JobEvent",
    "LiaisonPerson",
    "LiaisonTable",
    "PoolImport",
    "PoolMembership",
    "Region",
    "ResumableUpload",
    "RosterGroup",
    "RosterMember",
    "StageWindow",
    "User",
]
