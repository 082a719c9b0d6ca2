from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<int:pk>/board/", views.ProgrammeBoard.as_view(), name="programme_board"),
    path("programmes/<int:pk>/stages/", views.programme_stages, name="programme_stages"),
    path(
        "programmes/<int:pk>/applications/new/",
        views.ApplicationCreate.as_view(),
        name="application_new",
    ),
    path("applications/<int:pk>/", views.ApplicationDetail.as_view(), name="application_detail"),
    path("clusters/<int:pk>/stage/", views.ClusterStage.as_view(), name="cluster_stage"),
    path("clusters/<int:pk>/stage/place/", views.StagePlace.as_view(), name="stage_place"),
    path(
        "clusters/<int:pk>/stage/items/<int:item_pk>/",
        views.ChecklistTick.as_view(),
        name="checklist_tick",
    ),
]
