"""Staff pages for follow-up reports, mounted under /personal/uppfoljningar/."""

from django.urls import path

from followup import report_views

app_name = "reports"

urlpatterns = [
    path("medborgarlofte/<int:period_pk>/", report_views.report_list, name="list"),
    path("<int:pk>/", report_views.report_detail, name="detail"),
    path("<int:pk>/kommentar/", report_views.report_update, name="update"),
    path("<int:pk>/publicera/", report_views.report_publish, name="publish"),
    path("<int:pk>/pdf/", report_views.report_pdf, name="pdf"),
]
