"""Invitations: /personal/inbjudningar/ for editors, and the link an invited person opens."""

from django.urls import path

from municipalities.invitations import views

app_name = "invitations"

urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("<int:pk>/aterkalla/", views.invitation_revoke, name="revoke"),
    path("medlemskap/<int:pk>/avsluta/", views.membership_end, name="membership_end"),
    path("svara/<str:token>/", views.invitation_accept, name="accept"),
]
