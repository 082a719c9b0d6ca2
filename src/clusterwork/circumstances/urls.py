from django.urls import path

from . import views

urlpatterns = [
    path("clusters/<int:pk>/changes/", views.changes, name="cluster_changes"),
    path("clusters/<int:pk>/changes/staff/", views.staff_change, name="staff_change"),
]
