from django.urls import path

from . import views

urlpatterns = [
    path("programmes/", views.ProgrammeList.as_view(), name="programme_list"),
    path("programmes/<int:pk>/", views.ProgrammeDetail.as_view(), name="programme_detail"),
    path(
        "programmes/<int:pk>/history/", views.ProgrammeHistory.as_view(), name="programme_history"
    ),
    path("programmes/<int:pk>/clusters/new/", views.ClusterCreate.as_view(), name="cluster_create"),
    path("clusters/", views.ClusterList.as_view(), name="cluster_list"),
    path("clusters/<int:pk>/", views.ClusterDetail.as_view(), name="cluster_detail"),
    path("clusters/<int:pk>/history/", views.ClusterHistory.as_view(), name="cluster_history"),
    path("clusters/<int:pk>/edit/", views.ClusterEdit.as_view(), name="cluster_edit"),
    path("clusters/<int:pk>/archive/", views.ClusterArchive.as_view(), name="cluster_archive"),
    path("clusters/<int:pk>/restore/", views.ClusterRestore.as_view(), name="cluster_restore"),
    path("clusters/<int:pk>/members/add/", views.MemberAdd.as_view(), name="member_add"),
    path("clusters/<int:pk>/members/search/", views.member_search, name="member_search"),
    path("clusters/<int:pk>/members/<int:mpk>/end/", views.MemberEnd.as_view(), name="member_end"),
    path(
        "clusters/<int:pk>/members/<int:mpk>/move/", views.MemberMove.as_view(), name="member_move"
    ),
]
