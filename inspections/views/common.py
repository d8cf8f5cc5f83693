"""What the pages of the inspections app share: the permissions they check, the current
campaign, file-name stamps."""

from __future__ import annotations

from campaign.selectors import calendar as calendar_selectors

FILL = "inspections.fill_selfcheck"


REVIEW = "inspections.review_selfcheck"


def _campaign(request):
    from django.http import Http404

    campaign = calendar_selectors.campaign_current()
    if campaign is None:
        raise Http404("尚未设置执法行动年度。")
    return campaign


def _stamp() -> str:
    from django.utils import timezone

    return timezone.localtime().strftime("%Y%m%d-%H%M")
