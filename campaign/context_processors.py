from campaign.selectors import campaign_current


def platform(request):
    """The campaign every page speaks about, fetched only when a template asks."""
    return {"current_campaign": campaign_current}
