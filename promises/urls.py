from django.urls import path  # noqa: F401

from promises import views  # noqa: F401

app_name = "promises"

urlpatterns = []
