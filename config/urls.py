"""Root URL configuration: the public portal, the staff area and the admin.

The public portal is bilingual: Swedish at / (the default, never switched by the browser's
Accept-Language) and English under /en/. robots.txt and sitemap.xml live outside the language
prefix.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from followup.sitemaps import SITEMAPS
from followup.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    *i18n_patterns(path("", include("followup.urls")), prefix_default_language=False),
]
