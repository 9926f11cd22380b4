from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar/", views.calendar_redirect, name="calendar"),
    path("calendar/<int:year>/<int:month>/", views.month, name="month"),
    path("new/", views.create, name="create"),
    path("subscription/", views.subscription, name="subscription"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("workspace/<slug:slug>.ics", views.workspace_ics, name="workspace_ics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/documents/", views.attach, name="attach"),
    path("<int:pk>/documents/<int:document_pk>/remove/", views.detach, name="detach"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/unregister/", views.unregister, name="unregister"),
    path("<int:pk>.ics", views.event_ics, name="ics"),
]
