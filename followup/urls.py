from django.urls import path

from followup import feeds, opendata, views

app_name = "followup"

period = "kommuner/<slug:municipality_slug>/<slug:period_slug>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("om/", views.about, name="about"),
    path("om/sa-raknar-vi/", views.how_we_count, name="how_we_count"),
    path("data/", views.data, name="data"),
    path("data/<slug:dataset>.<slug:fmt>", opendata.download, name="download"),
    path("uppfoljningar.atom", feeds.FollowUpFeed(), name="feed"),
    path("teman/<slug:theme_slug>/", views.theme_detail, name="theme_detail"),
    path(
        "kommuner/<slug:municipality_slug>/",
        views.municipality_detail,
        name="municipality_detail",
    ),
    path(
        "kommuner/<slug:municipality_slug>/uppfoljningar.atom",
        feeds.MunicipalityFeed(),
        name="municipality_feed",
    ),
    path(
        "kommuner/<slug:municipality_slug>/data/<slug:dataset>.<slug:fmt>",
        opendata.download,
        name="municipality_download",
    ),
    path(period, views.period_detail, name="period_detail"),
    path(period + "inbaddning/", views.period_embed, name="period_embed"),
    path(
        period + "aktiviteter/<int:activity_id>/",
        views.activity_detail,
        name="activity_detail",
    ),
]
