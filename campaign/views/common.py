"""What the organisation pages share: the permissions they check, the current campaign, file-name
stamps, messages of a service's refusal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from campaign.models import (
    Campaign,
)
from campaign.selectors import calendar as calendar_selectors

MANAGE = "campaign.manage_platform"


CITY_WINDOW = "campaign.set_city_window"


def current_campaign_or_404() -> Campaign:
    campaign = calendar_selectors.campaign_current()
    if campaign is None:
        raise Http404("尚未设置执法行动年度。")
    return campaign


def stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def error_messages(exc: ValidationError) -> list[str]:
    return exc.messages
