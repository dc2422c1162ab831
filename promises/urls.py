from django.urls import path

from promises import views

app_name = "promises"

urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("ny/", views.period_create, name="period_create"),
    path("<int:pk>/", views.period_detail, name="period_detail"),
    path("<int:pk>/andra/", views.period_edit, name="period_edit"),
    path("<int:pk>/status/", views.period_transition, name="period_transition"),
    path("<int:pk>/publicering/", views.period_publish, name="period_publish"),
    path("<int:pk>/fornya/", views.period_renew, name="period_renew"),
    path("<int:pk>/andring/", views.amendment_create, name="amendment_create"),
    path("<int:pk>/loften/ny/", views.promise_create, name="promise_create"),
    path("loften/<int:pk>/andra/", views.promise_edit, name="promise_edit"),
    path("<int:pk>/aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/andra/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/undertecknare/ny/", views.signatory_create, name="signatory_create"),
    path("undertecknare/<int:pk>/andra/", views.signatory_edit, name="signatory_edit"),
    path("undertecknare/<int:pk>/ta-bort/", views.signatory_delete, name="signatory_delete"),
    path("<int:pk>/kallor/ny/", views.source_create, name="source_create"),
    path("kallor/<int:pk>/andra/", views.source_edit, name="source_edit"),
    path("kallor/<int:pk>/ta-bort/", views.source_delete, name="source_delete"),
]
