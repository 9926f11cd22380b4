from django.urls import path

from workspaces import views

app_name = "workspaces"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("workspaces/", views.workspace_list, name="list"),
    path("workspaces/<slug:slug>/", views.workspace_detail, name="detail"),
    path("workspaces/<slug:slug>/join/", views.join, name="join"),
    path("workspaces/<slug:slug>/request/", views.request_join, name="request_join"),
    path("workspaces/<slug:slug>/request/withdraw/", views.withdraw_request, name="withdraw_request"),
    path("workspaces/<slug:slug>/leave/", views.leave, name="leave"),
    path("workspaces/<slug:slug>/edit/", views.edit, name="edit"),
    path("workspaces/<slug:slug>/members/", views.members, name="members"),
    path("workspaces/<slug:slug>/members/add/", views.add_member, name="add_member"),
    path("workspaces/<slug:slug>/members/<int:user_id>/role/", views.change_role, name="change_role"),
    path("workspaces/<slug:slug>/members/<int:user_id>/remove/", views.remove_member, name="remove_member"),
    path("workspaces/<slug:slug>/requests/", views.join_requests, name="join_requests"),
    path("workspaces/<slug:slug>/requests/<int:pk>/approve/", views.approve_request, name="approve_request"),
    path("workspaces/<slug:slug>/requests/<int:pk>/decline/", views.decline_request, name="decline_request"),
    path("workspaces/<slug:slug>/announcements/new/", views.announcement_create, name="announcement_create"),
    path(
        "workspaces/<slug:slug>/announcements/<int:pk>/delete/",
        views.announcement_delete,
        name="announcement_delete",
    ),
]
