from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("upload/duplicates/", views.duplicates, name="duplicates"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/pin/", views.pin, name="pin"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/delete/", views.document_delete, name="delete"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/versions/new/", views.version_upload, name="version_upload"),
    path("<int:pk>/versions/<int:number>/download/", views.version_download, name="version_download"),
    path("<int:pk>/versions/<int:number>/restore/", views.version_restore, name="version_restore"),
]
