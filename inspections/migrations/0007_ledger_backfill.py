"""Fill what the ledger hinge adds for rows written before it.

- county and city on self-checks, inspections and problems, from their enterprise as it is now
  (the best that is known; from here on they are stored when the record is made);
- a problem that confirmed a self-found one (the old ``same_as``) becomes 已并入 its primary, and
  so does any later live problem of the same campaign, enterprise and item (a self-check filed
  after the inspection, two inspections of one item): the first recorded stays the primary;
- the first event of every problem and self-check, and from/to on the inspection events, so that
  the ledger's history (and "as of" reads) start with the rows that exist.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

INSPECTION_KIND_STATUS = {
    "planned": "planned",
    "started": "in_progress",
    "postponed": "postponed",
    "submitted": "submitted",
    "amended": "submitted",
}


def _regions(apps, model_name):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    model = apps.get_model("inspections", model_name)
    enterprise = Enterprise.objects.filter(pk=OuterRef("enterprise_id"))
    model.objects.filter(county__isnull=True).update(
        county_id=Subquery(enterprise.values("county_id")[:1]),
        city_id=Subquery(enterprise.values("city_id")[:1]),
    )


def _merge_duplicates(Problem):
    live = (
        Problem.objects.filter(primary__isnull=True, status__in=["open", "rectifying"])
        .order_by("campaign_id", "enterprise_id", "item_id", "recorded_at", "pk")
        .values_list("pk", "campaign_id", "enterprise_id", "item_id")
    )
    first: dict[tuple, int] = {}
    merged = []
    for pk, *key in live.iterator():
        primary = first.setdefault(tuple(key), pk)
        if primary != pk:
            merged.append(Problem(pk=pk, primary_id=primary, status="merged"))
    Problem.objects.bulk_update(merged, ["primary_id", "status"], batch_size=2000)


def forwards(apps, schema_editor):
    for name in ("SelfCheck", "Inspection", "Problem"):
        _regions(apps, name)

    Problem = apps.get_model("inspections", "Problem")
    ProblemEvent = apps.get_model("inspections", "ProblemEvent")
    Problem.objects.filter(primary__isnull=False).update(status="merged")
    _merge_duplicates(Problem)
    events = [
        ProblemEvent(
            problem_id=pk,
            from_status="",
            to_status=status,
            by_id=None,
            at=recorded_at,
            note="系统升级前登记",
        )
        for pk, status, recorded_at in Problem.objects.filter(events__isnull=True).values_list(
            "pk", "status", "recorded_at"
        )
    ]
    ProblemEvent.objects.bulk_create(events, batch_size=2000)

    SelfCheck = apps.get_model("inspections", "SelfCheck")
    SelfCheckEvent = apps.get_model("inspections", "SelfCheckEvent")
    Submission = apps.get_model("inspections", "SelfCheckSubmission")
    rows = []
    for check in SelfCheck.objects.filter(events__isnull=True).iterator():
        rows.append(
            SelfCheckEvent(self_check_id=check.pk, to_status="draft", at=check.created_at)
        )
        previous = "draft"
        for sub in Submission.objects.filter(self_check_id=check.pk).order_by("number"):
            rows.append(
                SelfCheckEvent(
                    self_check_id=check.pk,
                    from_status=previous,
                    to_status="submitted",
                    by_id=sub.submitted_by_id,
                    at=sub.submitted_at,
                )
            )
            previous = "submitted"
            if sub.outcome in ("filed", "returned") and sub.reviewed_at:
                rows.append(
                    SelfCheckEvent(
                        self_check_id=check.pk,
                        from_status="submitted",
                        to_status=sub.outcome,
                        by_id=sub.reviewed_by_id,
                        at=sub.reviewed_at,
                        note=sub.comment,
                    )
                )
                previous = sub.outcome
        if len(rows) > 2000:
            SelfCheckEvent.objects.bulk_create(rows)
            rows = []
    SelfCheckEvent.objects.bulk_create(rows)

    InspectionEvent = apps.get_model("inspections", "InspectionEvent")
    last_status: dict[int, str] = {}
    changed = []
    for event in InspectionEvent.objects.order_by("inspection_id", "at", "pk").iterator():
        to = INSPECTION_KIND_STATUS.get(event.kind, "")
        before = last_status.get(event.inspection_id, "")
        event.from_status = "" if event.kind == "planned" else before
        event.to_status = to
        last_status[event.inspection_id] = to
        changed.append(event)
        if len(changed) >= 2000:
            InspectionEvent.objects.bulk_update(changed, ["from_status", "to_status"])
            changed = []
    InspectionEvent.objects.bulk_update(changed, ["from_status", "to_status"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0006_ledger_hinge"),
        ("enterprises", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
