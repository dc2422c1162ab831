from django.urls import path

from followup.public import downloads, feeds, views
from followup.public.caching import public_page

app_name = "public"

period = "kommuner/<slug:municipality_slug>/<slug:period_slug>/"

urlpatterns = [
    path("", public_page(views.index), name="index"),
    path("om/", views.about, name="about"),
    path("om/sa-raknar-vi/", views.how_we_count, name="how_we_count"),
    path("data/", public_page(views.data), name="data"),
    # Downloads set their own validators (those of the file sent, maybe one version behind).
    path("data/<slug:dataset>.<slug:fmt>", downloads.download, name="download"),
    path("uppfoljningar.atom", public_page(feeds.FollowUpFeed()), name="feed"),
    path("teman/<slug:theme_slug>/", public_page(views.theme_detail), name="theme_detail"),
    path(
        "kommuner/<slug:municipality_slug>/",
        public_page(views.municipality_detail),
        name="municipality_detail",
    ),
    path(
        "kommuner/<slug:municipality_slug>/uppfoljningar.atom",
        public_page(feeds.MunicipalityFeed()),
        name="municipality_feed",
    ),
    path(
        "kommuner/<slug:municipality_slug>/data/<slug:dataset>.<slug:fmt>",
        downloads.download,
        name="municipality_download",
    ),
    path(period, public_page(views.period_detail), name="period_detail"),
    path(period + "inbaddning/", public_page(views.period_embed), name="period_embed"),
    path(
        period + "aktiviteter/<int:activity_id>/",
        public_page(views.activity_detail),
        name="activity_detail",
    ),
]
