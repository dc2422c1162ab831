from django.urls import path

from followup.staff import views as staff_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("aktiviteter/<int:pk>/", staff_views.activity_detail, name="activity_detail"),
    path("aktiviteter/<int:pk>/logga/", staff_views.log_event, name="log_event"),
    path("aktiviteter/<int:pk>/avvikelse/", staff_views.deviation_create, name="deviation_create"),
    path("handelser/<int:pk>/", staff_views.event_detail, name="event_detail"),
    path("handelser/<int:pk>/andra/", staff_views.event_edit, name="event_edit"),
    path("handelser/<int:pk>/aterkalla/", staff_views.event_retract, name="event_retract"),
    path("import/", staff_views.import_upload, name="import_upload"),
    path("import/bekrafta/", staff_views.import_commit, name="import_commit"),
    path("import/mall.csv", staff_views.import_template, name="import_template"),
]
