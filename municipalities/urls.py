from django.urls import path

from municipalities import views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("logga-ut/", views.logout, name="logout"),
    path("byt-losenord/", views.password_change, name="password_change"),
    path("byt-losenord/klart/", views.password_change_done, name="password_change_done"),
]
