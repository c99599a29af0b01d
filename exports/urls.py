from django.urls import path

from . import views

urlpatterns = [
    path("exports/", views.exports_page, name="exports"),
    path("exports/from-list/", views.export_from_list, name="export_from_list"),
    path("exports/<uuid:job_id>/download/", views.export_download, name="export_download"),
    path("exports/<uuid:job_id>/cancel/", views.export_cancel, name="export_cancel"),
]
