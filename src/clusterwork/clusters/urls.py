from django.urls import path

from . import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/history/", views.programme_history, name="programme_history"),
    path("programmes/<int:pk>/clusters/new/", views.cluster_create, name="cluster_create"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<int:pk>/history/", views.cluster_history, name="cluster_history"),
    path("clusters/<int:pk>/edit/", views.cluster_edit, name="cluster_edit"),
    path("clusters/<int:pk>/archive/", views.cluster_archive, name="cluster_archive"),
    path("clusters/<int:pk>/restore/", views.cluster_restore, name="cluster_restore"),
    path("clusters/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("clusters/<int:pk>/members/search/", views.member_search, name="member_search"),
    path("clusters/<int:pk>/members/<int:mpk>/end/", views.member_end, name="member_end"),
    path("clusters/<int:pk>/members/<int:mpk>/move/", views.member_move, name="member_move"),
]
