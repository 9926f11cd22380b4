from django.urls import path

from accounts import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path("approvals/<int:pk>/approve/", views.approve, name="approve"),
    path("approvals/<int:pk>/reject/", views.reject, name="reject"),
    path("invitations/", views.invitations, name="invitations"),
]
