"""The site's URLs plus two views that fail, for the error page tests."""

from django.db import OperationalError
from django.urls import path

from sellercenter.urls import handler403, handler500  # noqa: F401
from sellercenter.urls import urlpatterns as site


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def broken(request):
    raise ValueError("a bug")


urlpatterns = [path("test/database-gone/", database_gone), path("test/broken/", broken), *site]
