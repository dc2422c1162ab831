"""Root URL configuration: the public portal, the staff area and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("personal/", include("municipalities.urls")),
    path("personal/medborgarloften/", include("promises.urls")),
    path("personal/", include("followup.staff_urls")),
    path("", include("followup.urls")),
]
