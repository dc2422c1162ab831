"""Root URL configuration: the public portal, the staff area and the admin."""

from django.contrib import admin
from django.urls import include, path

from municipalities.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("halsa/", health, name="health"),
    path("personal/tjansteskrivelser/", include("promises.memo_urls")),
    path("personal/uppfoljningar/", include("followup.report_urls")),
    # Document downloads under /kommuner/… come before the public pages that share the prefix.
    path("", include("promises.document_urls")),
    path("", include("followup.document_urls")),
    path("", include("followup.urls")),
]

handler500 = "municipalities.health.server_error"
