from django.apps import AppConfig


class CrosscheckConfig(AppConfig):
    name = "crosscheck"
    verbose_name = "异地核查"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from crosscheck import models as m

        # the draws and their samples and teams are written once and never changed: their rows
        # are the record; what people change is audited
        auditlog.register(m.VerificationRound)
        auditlog.register(m.ConflictDeclaration)

        # a member who signs the integrity commitment gets the team's sampled units
        from campaign.services.integrity import commitment_signed
        from crosscheck.services.team import on_commitment_signed

        commitment_signed.connect(on_commitment_signed, dispatch_uid="crosscheck-open-units")
