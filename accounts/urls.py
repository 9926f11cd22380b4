from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("pending/", views.pending, name="pending"),
    path("profile/", views.profile_edit, name="profile"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
