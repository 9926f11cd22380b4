from django.urls import path, re_path

from pages import views

app_name = "pages"

urlpatterns = [
    path("impressum/", views.impressum, name="impressum"),
    path("datenschutz/", views.datenschutz, name="datenschutz"),
    path("barrierefreiheit/", views.barrierefreiheit, name="barrierefreiheit"),
    re_path(r"^(?P<slug>impressum|datenschutz|barrierefreiheit)/bearbeiten/$", views.edit_legal_page, name="edit"),
    path("health/", views.health, name="health"),
    path("health/ping/", views.ping, name="ping"),
]
