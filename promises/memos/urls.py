"""Staff pages for decision memos, mounted under /personal/tjansteskrivelser/."""

from django.urls import path

from promises.memos import views as memo_views

app_name = "memos"

urlpatterns = [
    path("medborgarlofte/<int:period_pk>/", memo_views.memo_list, name="list"),
    path("medborgarlofte/<int:period_pk>/ny/", memo_views.memo_create, name="create"),
    path("<int:pk>/", memo_views.memo_detail, name="detail"),
    path("<int:pk>/redigera/", memo_views.memo_edit, name="edit"),
    path("<int:pk>/faststall/", memo_views.memo_finalise, name="finalise"),
    path("<int:pk>/ny-version/", memo_views.memo_new_version, name="new_version"),
    path("<int:pk>/pdf/", memo_views.memo_pdf, name="pdf"),
]
