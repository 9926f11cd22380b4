from django.urls import path

from accounts import privacy_views, views

app_name = "accounts"

urlpatterns = [
    path("pending/", views.pending, name="pending"),
    path("profile/", views.profile_edit, name="profile"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("privacy/", privacy_views.privacy_page, name="privacy"),
    path("privacy/export/", privacy_views.request_export, name="privacy_export"),
    path("privacy/export/<str:token>/", privacy_views.download_export, name="privacy_download"),
    path("privacy/delete/", privacy_views.erase_account, name="privacy_erase"),
    path("session/keepalive/", privacy_views.keepalive, name="keepalive"),
]
