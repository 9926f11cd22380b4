from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from pages.decorators import public

admin.site.site_header = "Sozialplanungsplattform"
admin.site.site_title = "Sozialplanungsplattform"
# The admin signs in through allauth: the same rate limits, MFA and audit as the portal.
admin.site.login = secure_admin_login(admin.site.login)

# A database outage raised outside a view answers 503, not 500 (see the view's docstring).
handler500 = "pages.views.server_error"

urlpatterns = [
    path("", include("workspaces.urls")),
    path("", include("pages.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("accounts.members_urls")),
    path("documents/", include("documents.urls")),
    path("forums/", include("forums.urls")),
    path("notifications/", include("notifications.urls")),
    path("search/", include("search.urls")),
    path("dates/", include("events.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
