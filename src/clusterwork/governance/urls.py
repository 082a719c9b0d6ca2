from django.urls import path

from . import views, views_scheme

app_name = "governance"

urlpatterns = [
    path("governance/", views.Home.as_view(), name="home"),
    path("clusters/<int:pk>/board/", views.ClusterBoard.as_view(), name="cluster_board"),
    path("clusters/<int:pk>/lead-head/", views.LeadHeadAppoint.as_view(), name="lead_head_new"),
    path("clusters/<int:pk>/lgb/", views.LgbSet.as_view(), name="lgb_edit"),
    path(
        "clusters/<int:pk>/lgb/agreements/new/",
        views.LgbAgreementCreate.as_view(),
        name="lgb_agreement_new",
    ),
    path("clusters/<int:pk>/moves/new/", views_scheme.MoveCreate.as_view(), name="move_new"),
    path("governance/boards/<int:pk>/", views.BoardDetail.as_view(), name="board_detail"),
    path("governance/boards/<int:pk>/edit/", views.BoardConfigure.as_view(), name="board_edit"),
    path(
        "governance/boards/<int:pk>/members/new/", views.MemberCreate.as_view(), name="member_new"
    ),
    path(
        "governance/boards/<int:pk>/meetings/new/",
        views.MeetingCreate.as_view(),
        name="meeting_new",
    ),
    path(
        "governance/boards/<int:pk>/decisions/new/",
        views.DecisionCreate.as_view(),
        name="decision_new",
    ),
    path("governance/decisions/<int:pk>/", views.DecisionDetail.as_view(), name="decision_detail"),
    path("governance/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("governance/meetings/<int:pk>/minutes.<str:fmt>", views.minutes, name="meeting_minutes"),
    path("governance/trusts/<int:pk>/scheme/", views_scheme.Scheme.as_view(), name="scheme"),
    path("governance/scheme/<int:pk>/", views_scheme.scheme_version, name="scheme_version"),
    path(
        "governance/trusts/<int:pk>/intervention/",
        views_scheme.intervention_page,
        name="intervention",
    ),
    path("governance/cases/<int:pk>/", views_scheme.case_detail, name="case_detail"),
    path("governance/moves/<int:pk>/", views_scheme.MoveDetail.as_view(), name="move_detail"),
]
