"""The filters of stage 3: one FilterSet per list, used by the page, its export and its API."""

from __future__ import annotations

import copy

import django_filters
from django.db.models import Q
from django.utils import timezone

from campaign.filters import date_range
from campaign.widgets import YesNoAll
from cases.models import Case, Deadline, Measure, Notice, Path, ViolationType
from cases.rules import Against
from inspections.filters import ProblemFilter, UnitFilter


class CaseFilter(UnitFilter):
    status = django_filters.ChoiceFilter(label="办理环节", choices=Case.Status.choices)
    path = django_filters.ChoiceFilter(label="处置方式", choices=Path.choices)
    source = django_filters.ChoiceFilter(label="案件来源", choices=Case.Source.choices)
    violation_type = django_filters.ModelChoiceFilter(
        label="违法行为类型", queryset=ViolationType.objects.all()
    )
    overdue = django_filters.BooleanFilter(
        label="有逾期期限", method="filter_overdue", widget=YesNoAll
    )
    measure = django_filters.ChoiceFilter(
        label="措施", choices=Measure.Kind.choices, method="filter_measure"
    )
    due_within = django_filters.NumberFilter(
        label="几个工作日内有期限届满", method="filter_due_within", min_value=0, max_value=60
    )
    filed_from, filed_to = date_range("filed_on", "立案日期")

    class Meta:
        model = Case
        fields = [
            "q",
            "status",
            "path",
            "source",
            "violation_type",
            "measure",
            "due_within",
            "overdue",
            "city",
            "county",
            "filed_from",
            "filed_to",
            "enterprise",
        ]

    def filter_measure(self, queryset, name, value):
        if not value:
            return queryset
        taken = Measure.objects.filter(kind=value).exclude(status=Measure.Status.CANCELLED)
        return queryset.filter(pk__in=taken.values("case"))

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        from cases.selectors.case import reminder_horizon

        horizon = reminder_horizon(timezone.localdate(), int(value))
        soon = Deadline.objects.filter(
            done_on__isnull=True, against=Against.BUREAU, due_date__lte=horizon
        )
        return queryset.filter(pk__in=soon.values("case"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Deadline.objects.filter(
            done_on__isnull=True, against=Against.BUREAU, due_date__lt=timezone.localdate()
        ).values("case")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)


class DeadlineFilter(UnitFilter):
    """到期提醒: the open clocks, due within N working days or already overdue."""

    within = django_filters.NumberFilter(
        label="几个工作日内到期", method="filter_within", min_value=0, max_value=60
    )
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue", widget=YesNoAll)
    against = django_filters.ChoiceFilter(label="期限对象", choices=Against.CHOICES)
    key = django_filters.ChoiceFilter(
        label="事项",
        choices=[
            ("filing", "立案审查"),
            ("decision", "作出处罚决定"),
            ("statement", "陈述、申辩"),
            ("hearing_request", "申请听证"),
            ("service", "决定书送达"),
            ("payment", "缴纳罚款"),
        ],
    )

    class Meta:
        model = Deadline
        fields = ["q", "within", "overdue", "against", "key", "city", "county"]

    def filter_unit(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(case__enterprise__name__icontains=value)
            | Q(case__enterprise__credit_code__startswith=value.upper())
        )

    def filter_within(self, queryset, name, value):
        if value is None:
            return queryset
        from cases.selectors.case import reminder_horizon

        return queryset.filter(due_date__lte=reminder_horizon(timezone.localdate(), int(value)))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        # a party's window that ran out has lapsed: only the bureau's own clocks are overdue
        late = Q(due_date__lt=today, against=Against.BUREAU)
        return queryset.filter(late) if value else queryset.exclude(late)


# the unit and region lookups of UnitFilter and RegionFilter go through the case (declared on the
# class, so that the API schema reads them too)
for _name, _path in (
    ("city", "case__city"),
    ("county", "case__county"),
    ("enterprise", "case__enterprise_id"),
):
    DeadlineFilter.base_filters[_name] = copy.deepcopy(DeadlineFilter.base_filters[_name])
    DeadlineFilter.base_filters[_name].field_name = _path


class ClassifyFilter(ProblemFilter):
    """分类处置: the ledger's filters over the problems still to be classified."""


class NoticeFilter(UnitFilter):
    status = django_filters.ChoiceFilter(label="状态", choices=Notice.Status.choices)
    served_from, served_to = date_range("served_on", "送达日期")

    class Meta:
        model = Notice
        fields = ["q", "status", "city", "county", "served_from", "served_to", "enterprise"]
