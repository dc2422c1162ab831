"""Root URL configuration: the public portal, the staff area and the admin."""

from django.contrib import admin
from django.urls import include, path

from municipalities.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("halsa/", health, name="health"),
    path("", include("followup.urls")),
]

handler500 = "municipalities.health.server_error"
