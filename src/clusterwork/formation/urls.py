from django.urls import path, re_path

from . import views

app_name = "formation"

urlpatterns = [
    path("programmes/<int:pk>/runs/", views.RunList.as_view(), name="run_list"),
    path("programmes/<int:pk>/runs/new/", views.RunNew.as_view(), name="run_new"),
    path("programmes/<int:pk>/what-if/", views.whatif, name="whatif"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/accept/", views.RunAccept.as_view(), name="run_accept"),
    path("runs/<int:pk>/discard/", views.RunDiscard.as_view(), name="run_discard"),
    path("runs/<int:pk>/rerun/", views.RunRerun.as_view(), name="run_rerun"),
    re_path(
        r"^runs/(?P<pk>\d+)/proposal\.(?P<fmt>csv|geojson)$", views.run_export, name="run_export"
    ),
]
