from django.urls import path

from pages import views

app_name = "pages"

urlpatterns = [
    path("impressum/", views.impressum, name="impressum"),
    path("datenschutz/", views.datenschutz, name="datenschutz"),
    path("barrierefreiheit/", views.barrierefreiheit, name="barrierefreiheit"),
    path("health/", views.health, name="health"),
    path("health/ping/", views.ping, name="ping"),
]
