from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from documents.selectors import latest_documents_for_workspace, pinned_documents_for_workspace
from events.selectors import upcoming_events_for
from forums.selectors import latest_threads_for_workspace
from workspaces import permissions, selectors, services
from workspaces.forms import (
    AddMemberForm,
    AnnouncementForm,
    DeclineForm,
    JoinRequestForm,
    RoleForm,
    WorkspaceDescriptionForm,
)
from workspaces.models import Announcement, JoinRequest, Membership


def _attempt(request, action, success: str) -> bool:
    """Run a service; show its German message on a state conflict instead of failing."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@require_safe
def dashboard(request):
    user = request.user
    memberships = selectors.my_workspaces_with_news(user)
    return render(
        request,
        "workspaces/dashboard.html",
        {
            "memberships": memberships,
            "pending_join_requests": selectors.pending_join_requests_for(user),
            "pending_approvals": selectors.pending_member_approvals_count(user),
            "feed": selectors.activity_feed(user),
            "upcoming_dates": upcoming_events_for(user),
        },
    )


@require_safe
def workspace_list(request):
    return render(request, "workspaces/workspace_list.html", {"rows": selectors.workspace_rows(request.user)})


@require_safe
def workspace_detail(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    home = selectors.workspace_home(request.user, workspace)
    home.latest_documents = latest_documents_for_workspace(request.user, workspace)
    home.pinned_documents = pinned_documents_for_workspace(request.user, workspace)
    home.upcoming_dates = upcoming_events_for(request.user, workspace=workspace)
    home.latest_threads = latest_threads_for_workspace(request.user, workspace)
    services.mark_workspace_seen(membership=home.membership, latest_activity_at=home.latest_activity_at)
    return render(
        request,
        "workspaces/workspace_detail.html",
        {
            "workspace": workspace,
            "home": home,
            "can_moderate": permissions.can_moderate_workspace(request.user, workspace),
            "can_join": permissions.can_join_workspace(request.user, workspace),
            "can_request": permissions.can_request_to_join(request.user, workspace) and home.open_request is None,
        },
    )


@require_POST
def join(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    _attempt(
        request,
        lambda: services.join_workspace(user=request.user, workspace=workspace),
        _("Welcome! You are now a member of %(name)s.") % {"name": workspace.name},
    )
    return redirect(workspace)


def request_join(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _attempt(
            request,
            lambda: services.request_to_join(
                user=request.user, workspace=workspace, message=form.cleaned_data["message"]
            ),
            _("Your request has been sent. The moderators of %(name)s will decide.") % {"name": workspace.name},
        ):
            return redirect("workspaces:list")
        return redirect(workspace)
    if request.method == "GET" and not permissions.can_request_to_join(request.user, workspace):
        if permissions.is_workspace_member(request.user, workspace):
            messages.info(request, _("You are already a member of this workspace."))
        else:
            messages.info(request, _("This workspace does not take requests to join."))
        return redirect(workspace)
    return render(request, "workspaces/request_join.html", {"workspace": workspace, "form": form})


@require_POST
def withdraw_request(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    _attempt(
        request,
        lambda: services.withdraw_join_request(user=request.user, workspace=workspace),
        _("Your request has been withdrawn."),
    )
    return redirect("workspaces:list")


@require_POST
def leave(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_leave_workspace(request.user, workspace)
    if _attempt(
        request,
        lambda: services.leave_workspace(user=request.user, workspace=workspace),
        _("You have left %(name)s.") % {"name": workspace.name},
    ):
        return redirect("workspaces:list")
    return redirect(workspace)


@require_safe
def members(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    return render(
        request,
        "workspaces/members.html",
        {
            "workspace": workspace,
            "memberships": selectors.memberships_of(workspace),
            "can_moderate": permissions.can_moderate_workspace(request.user, workspace),
            "role_choices": Membership.Role.choices,
        },
    )


def add_member(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    query = request.GET.get("q", "")[:100]
    form = AddMemberForm(request.POST or None, candidates=selectors.member_candidates(workspace))
    if request.method == "POST":
        if form.is_valid():
            person = form.cleaned_data["user"]
            if _attempt(
                request,
                lambda: services.add_member(workspace=workspace, user=person, by=request.user),
                _("%(name)s has been added to the workspace.") % {"name": person},
            ):
                return redirect("workspaces:members", slug=workspace.slug)
        else:
            messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("workspaces:add_member", slug=workspace.slug)
    candidates = selectors.member_candidates(workspace, query)[: selectors.CANDIDATES] if query else []
    return render(
        request,
        "workspaces/add_member.html",
        {"workspace": workspace, "query": query, "candidates": candidates, "can_moderate": True},
    )


def _membership_or_404(workspace, user_id):
    return get_object_or_404(Membership.objects.select_related("user"), workspace=workspace, user_id=user_id)


@require_POST
def change_role(request, slug, user_id):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    membership = _membership_or_404(workspace, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid role."))
    else:
        role = form.cleaned_data["role"]
        _attempt(
            request,
            lambda: services.change_role(workspace=workspace, user=membership.user, role=role, by=request.user),
            _("The role of %(name)s is now: %(role)s.")
            % {"name": membership.user, "role": Membership.Role(role).label},
        )
    return redirect("workspaces:members", slug=workspace.slug)


@require_POST
def remove_member(request, slug, user_id):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    membership = _membership_or_404(workspace, user_id)
    _attempt(
        request,
        lambda: services.remove_member(workspace=workspace, user=membership.user, by=request.user),
        _("%(name)s has been removed from the workspace.") % {"name": membership.user},
    )
    return redirect("workspaces:members", slug=workspace.slug)


@require_safe
def join_requests(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    pending, history = selectors.join_requests_of(workspace)
    return render(
        request,
        "workspaces/join_requests.html",
        {
            "workspace": workspace,
            "pending": pending,
            "history": history,
            "decline_form": DeclineForm(),
            "can_moderate": True,
        },
    )


def _join_request_or_404(workspace, pk):
    return get_object_or_404(JoinRequest.objects.select_related("user", "workspace"), workspace=workspace, pk=pk)


@require_POST
def approve_request(request, slug, pk):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    join_request = _join_request_or_404(workspace, pk)
    _attempt(
        request,
        lambda: services.approve_join_request(join_request=join_request, by=request.user),
        _("%(name)s has been admitted.") % {"name": join_request.user},
    )
    return redirect("workspaces:join_requests", slug=workspace.slug)


@require_POST
def decline_request(request, slug, pk):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    join_request = _join_request_or_404(workspace, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason may be at most 2000 characters long."))
    else:
        _attempt(
            request,
            lambda: services.decline_join_request(
                join_request=join_request, by=request.user, reason=form.cleaned_data["reason"]
            ),
            _("The request of %(name)s has been declined.") % {"name": join_request.user},
        )
    return redirect("workspaces:join_requests", slug=workspace.slug)


def announcement_create(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_announcement(
                workspace=workspace,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The announcement has been posted and the members informed."))
            return redirect(workspace)
    return render(
        request, "workspaces/announcement_form.html", {"workspace": workspace, "form": form, "can_moderate": True}
    )


@require_POST
def announcement_delete(request, slug, pk):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    announcement = get_object_or_404(Announcement.objects.select_related("workspace"), workspace=workspace, pk=pk)
    _attempt(
        request,
        lambda: services.delete_announcement(announcement=announcement, by=request.user),
        _("The announcement has been deleted."),
    )
    return redirect(workspace)


def edit(request, slug):
    workspace = selectors.get_workspace_for(request.user, slug)
    permissions.check_moderate_workspace(request.user, workspace)
    initial = {
        "short_description": workspace.short_description,
        "description": workspace.description,
        "funding_note": workspace.funding_note,
        "contact_persons": list(workspace.contact_persons.all()),
    }
    form = WorkspaceDescriptionForm(request.POST or None, initial=initial, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_workspace_description(workspace=workspace, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The description has been saved."))
            return redirect(workspace)
    return render(request, "workspaces/edit.html", {"workspace": workspace, "form": form, "can_moderate": True})
