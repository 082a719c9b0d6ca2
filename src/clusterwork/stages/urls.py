from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<int:pk>/board/", views.board, name="programme_board"),
    path("programmes/<int:pk>/stages/", views.programme_stages, name="programme_stages"),
    path("programmes/<int:pk>/applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("clusters/<int:pk>/stage/", views.cluster_stage, name="cluster_stage"),
    path("clusters/<int:pk>/stage/place/", views.stage_place, name="stage_place"),
    path(
        "clusters/<int:pk>/stage/items/<int:item_pk>/", views.checklist_tick, name="checklist_tick"
    ),
]
