from django.urls import path

from campaign.views import integrity as integ
from campaign.views import organisation as org

app_name = "campaign"

urlpatterns = [
    path("calendar/", org.CalendarView.as_view(), name="calendar"),
    path("calendar/edit/", org.CalendarEditView.as_view(), name="calendar-edit"),
    path("calendar/new-year/", org.CampaignCreateView.as_view(), name="campaign-create"),
    path("calendar/city-windows/", org.CityWindowSetView.as_view(), name="city-window-set"),
    path(
        "calendar/city-windows/<int:pk>/delete/",
        org.CityWindowDeleteView.as_view(),
        name="city-window-delete",
    ),
    path("roster/", org.RosterView.as_view(), name="roster"),
    path("roster/groups/", org.RosterGroupAddView.as_view(), name="roster-group-add"),
    path("roster/export.xlsx", org.RosterExportView.as_view(), name="roster-export"),
    path(
        "roster/groups/<int:pk>/members/",
        org.RosterMemberAddView.as_view(),
        name="roster-member-add",
    ),
    path(
        "roster/groups/<int:pk>/duties/", org.RosterGroupDutiesView.as_view(), name="roster-duties"
    ),
    path(
        "roster/members/<int:pk>/delete/",
        org.RosterMemberDeleteView.as_view(),
        name="roster-member-delete",
    ),
    path("pools/", org.PoolListView.as_view(), name="pools"),
    path("pools/export.xlsx", org.PoolExportView.as_view(), name="pools-export"),
    path(
        "pools/memberships/<int:pk>/delete/",
        org.PoolMembershipDeleteView.as_view(),
        name="pool-remove",
    ),
    path("pools/import/", org.PoolImportView.as_view(), name="pool-import"),
    path(
        "pools/import/template.xlsx",
        org.PoolImportTemplateView.as_view(),
        name="pool-import-template",
    ),
    path("pools/imports/<int:pk>/", org.PoolImportDetailView.as_view(), name="pool-import-detail"),
    path(
        "pools/imports/<int:pk>/errors.xlsx",
        org.PoolImportErrorsView.as_view(),
        name="pool-import-errors",
    ),
    path("people/", org.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", org.PersonView.as_view(), name="person"),
    path("people/<int:pk>/pools/", org.PersonPoolAddView.as_view(), name="person-pool-add"),
    path("liaisons/", org.LiaisonListView.as_view(), name="liaisons"),
    path("liaisons/export.xlsx", org.LiaisonExportView.as_view(), name="liaisons-export"),
    path("liaisons/edit/", org.LiaisonEditView.as_view(), name="liaison-edit"),
    path("liaisons/<int:pk>/", org.LiaisonDetailView.as_view(), name="liaison-detail"),
    path("integrity/", integ.IntegrityDocumentsView.as_view(), name="integrity-documents"),
    path(
        "integrity/publish/", integ.IntegrityDocumentPublishView.as_view(), name="integrity-publish"
    ),
    path(
        "integrity/documents/<int:pk>/",
        integ.IntegrityDocumentView.as_view(),
        name="integrity-document",
    ),
    path("assignments/", integ.AssignmentListView.as_view(), name="assignments"),
    path(
        "assignments/export.xlsx", integ.AssignmentExportView.as_view(), name="assignments-export"
    ),
    path("assignments/new/", integ.AssignmentCreateView.as_view(), name="assignment-create"),
    path("assignments/<int:pk>/", integ.AssignmentView.as_view(), name="assignment"),
    path("assignments/<int:pk>/sign/", integ.CommitmentSignView.as_view(), name="assignment-sign"),
    path(
        "assignments/<int:pk>/self-check/",
        integ.SelfCheckSubmitView.as_view(),
        name="assignment-self-check",
    ),
    path("complaints/", integ.ComplaintListView.as_view(), name="complaints"),
    path("complaints/export.xlsx", integ.ComplaintExportView.as_view(), name="complaints-export"),
    path("complaints/<int:pk>/", integ.ComplaintDetailView.as_view(), name="complaint"),
    path(
        "complaints/<int:pk>/transition/",
        integ.ComplaintTransitionView.as_view(),
        name="complaint-transition",
    ),
    path(
        "complaints/attachments/<int:pk>/",
        integ.ComplaintAttachmentView.as_view(),
        name="complaint-attachment",
    ),
]
