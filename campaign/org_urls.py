from django.urls import path

from campaign.views import calendar, complaints, integrity, organisation

app_name = "campaign"

urlpatterns = [
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/holidays/", calendar.HolidayCalendarView.as_view(), name="holidays"),
    path("calendar/holidays/save/", calendar.HolidayYearSaveView.as_view(), name="holidays-save"),
    path("calendar/edit/", calendar.CalendarEditView.as_view(), name="calendar-edit"),
    path("calendar/new-year/", calendar.CampaignCreateView.as_view(), name="campaign-create"),
    path("calendar/city-windows/", calendar.CityWindowSetView.as_view(), name="city-window-set"),
    path(
        "calendar/city-windows/<int:pk>/delete/",
        calendar.CityWindowDeleteView.as_view(),
        name="city-window-delete",
    ),
    path("roster/", organisation.RosterView.as_view(), name="roster"),
    path("roster/groups/", organisation.RosterGroupAddView.as_view(), name="roster-group-add"),
    path("roster/export.xlsx", organisation.RosterExportView.as_view(), name="roster-export"),
    path(
        "roster/groups/<int:pk>/members/",
        organisation.RosterMemberAddView.as_view(),
        name="roster-member-add",
    ),
    path(
        "roster/groups/<int:pk>/duties/",
        organisation.RosterGroupDutiesView.as_view(),
        name="roster-duties",
    ),
    path(
        "roster/members/<int:pk>/delete/",
        organisation.RosterMemberDeleteView.as_view(),
        name="roster-member-delete",
    ),
    path("pools/", organisation.PoolListView.as_view(), name="pools"),
    path("pools/export.xlsx", organisation.PoolExportView.as_view(), name="pools-export"),
    path(
        "pools/memberships/<int:pk>/delete/",
        organisation.PoolMembershipDeleteView.as_view(),
        name="pool-remove",
    ),
    path("pools/import/", organisation.PoolImportView.as_view(), name="pool-import"),
    path(
        "pools/import/template.xlsx",
        organisation.PoolImportTemplateView.as_view(),
        name="pool-import-template",
    ),
    path(
        "pools/imports/<int:pk>/",
        organisation.PoolImportDetailView.as_view(),
        name="pool-import-detail",
    ),
    path(
        "pools/imports/<int:pk>/errors.xlsx",
        organisation.PoolImportErrorsView.as_view(),
        name="pool-import-errors",
    ),
    path("people/", organisation.PeopleView.as_view(), name="people"),
    path("people/export.xlsx", organisation.PeopleExportView.as_view(), name="people-export"),
    path("people/<int:pk>/", organisation.PersonView.as_view(), name="person"),
    path(
        "people/<int:pk>/pools/", organisation.PersonPoolAddView.as_view(), name="person-pool-add"
    ),
    path("liaisons/", organisation.LiaisonListView.as_view(), name="liaisons"),
    path("liaisons/export.xlsx", organisation.LiaisonExportView.as_view(), name="liaisons-export"),
    path("liaisons/edit/", organisation.LiaisonEditView.as_view(), name="liaison-edit"),
    path("liaisons/<int:pk>/", organisation.LiaisonDetailView.as_view(), name="liaison-detail"),
    path("integrity/", integrity.IntegrityDocumentsView.as_view(), name="integrity-documents"),
    path(
        "integrity/publish/",
        integrity.IntegrityDocumentPublishView.as_view(),
        name="integrity-publish",
    ),
    path(
        "integrity/documents/<int:pk>/",
        integrity.IntegrityDocumentView.as_view(),
        name="integrity-document",
    ),
    path("assignments/", integrity.AssignmentListView.as_view(), name="assignments"),
    path(
        "assignments/export.xlsx",
        integrity.AssignmentExportView.as_view(),
        name="assignments-export",
    ),
    path("assignments/new/", integrity.AssignmentCreateView.as_view(), name="assignment-create"),
    path("assignments/<int:pk>/", integrity.AssignmentView.as_view(), name="assignment"),
    path(
        "assignments/<int:pk>/sign/", integrity.CommitmentSignView.as_view(), name="assignment-sign"
    ),
    path(
        "assignments/<int:pk>/self-check/",
        integrity.SelfCheckSubmitView.as_view(),
        name="assignment-self-check",
    ),
    path("complaints/", complaints.ComplaintListView.as_view(), name="complaints"),
    path(
        "complaints/export.xlsx", complaints.ComplaintExportView.as_view(), name="complaints-export"
    ),
    path("complaints/<int:pk>/", complaints.ComplaintDetailView.as_view(), name="complaint"),
    path(
        "complaints/<int:pk>/transition/",
        complaints.ComplaintTransitionView.as_view(),
        name="complaint-transition",
    ),
    path(
        "complaints/attachments/<int:pk>/",
        complaints.ComplaintAttachmentView.as_view(),
        name="complaint-attachment",
    ),
]
