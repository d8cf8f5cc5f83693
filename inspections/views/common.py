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


def gap_links(messages: list[str], anchors: dict[str, str]) -> list[tuple[str, str]]:
    """What stops a submission, each linked to where it is fixed: an item's message begins with
    its code (see the services' *_missing), the rest belongs to the header or the signatures."""
    links = []
    for message in messages:
        code = message.split(" ", 1)[0]
        if code in anchors:
            links.append((anchors[code], message))
        elif "签名" in message:
            links.append(("#signatures", message))
        else:
            links.append(("#header", message))
    return links


def sections(groups: list, flag: str) -> list[dict]:
    """The form's sections for its index: label, anchor, answered and total (x / n)."""
    return [
        {
            "label": label,
            "anchor": f"area-{number}",
            "answered": sum(1 for row in rows if row[0].result),
            "total": len(rows),
            "flag": flag,
        }
        for number, (label, rows) in enumerate(groups, start=1)
    ]
