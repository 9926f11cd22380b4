from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from pages.decorators import public

admin.site.site_header = "Sozialplanungsplattform"
admin.site.site_title = "Sozialplanungsplattform"

urlpatterns = [
    path("", include("workspaces.urls")),
    path("", include("pages.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("accounts.members_urls")),
    path("documents/", include("documents.urls")),
    path("forums/", include("forums.urls")),
    path("notifications/", include("notifications.urls")),
    path("dates/", include("events.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
