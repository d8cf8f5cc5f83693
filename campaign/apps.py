from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = "执法行动与人员"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from campaign.models import AccessGrant, Campaign, Industry, Region, StageWindow, User

        auditlog.register(
            User,
            exclude_fields=["password", "last_login"],
            m2m_fields={"industries"},
        )
        auditlog.register(Region)
        auditlog.register(Industry)
        auditlog.register(Campaign)
        auditlog.register(StageWindow)
        auditlog.register(AccessGrant)
