from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = "执法行动与人员"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.backends.signals import connection_created

        from campaign import checks, counting  # noqa: F401  (checks registers itself)

        connection_created.connect(counting.install, dispatch_uid="count-cache-watch-writes")

        # every app's jobs.py registers its kinds of background job (campaign imports no app above it)
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")

        from campaign import models as m

        auditlog.register(
            m.User, exclude_fields=["password", "last_login"], m2m_fields={"industries"}
        )
        for model in (
            m.Region,
            m.Industry,
            m.Campaign,
            m.StageWindow,
            m.AccessGrant,
            m.RosterGroup,
            m.RosterMember,
            m.PoolMembership,
            m.LiaisonTable,
            m.LiaisonPerson,
            m.IntegrityDocument,
            m.Assignment,
            m.IntegrityCommitment,
            m.IntegritySelfCheck,
            m.ComplaintTransition,
            m.HolidayYear,
            m.HolidayDate,
        ):
            auditlog.register(model)
        auditlog.register(m.PoolImport, exclude_fields=["errors"])
        # the reporter's contact stays out of the audit log, which administrators can read
        auditlog.register(
            m.Complaint, exclude_fields=["reporter_name", "reporter_contact", "client_ip"]
        )
