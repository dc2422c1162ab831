from django.urls import path

from promises.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.start, name="start"),
    path("<str:token>/granska/", views.review, name="review"),
]
