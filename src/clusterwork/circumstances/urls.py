from django.urls import path

from . import views

urlpatterns = [
    path("clusters/<int:pk>/changes/", views.ClusterChanges.as_view(), name="cluster_changes"),
    path("clusters/<int:pk>/changes/staff/", views.StaffChange.as_view(), name="staff_change"),
]
