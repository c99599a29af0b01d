from django.urls import path

from .views import dashboard, table_csv

urlpatterns = [
    path("analytics/", dashboard, name="analytics"),
    path("analytics/<slug:name>.csv", table_csv, name="analytics_csv"),
]
