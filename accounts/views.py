from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import rendering, selectors, services
from accounts.adapter import INVITATION_SESSION_KEY
from accounts.filters import MemberFilter
from accounts.forms import InvitationForm, ProfileForm, RejectForm
from accounts.models import Invitation, Profile, User
from accounts.permissions import can_see_email, check_view_member
from pages.decorators import pending_allowed, public, staff_required
from workspaces.rendering import shared_blank_filter_form, shared_filter_form

MEMBERS_PER_PAGE = 25


@pending_allowed
def pending(request):
    if request.user.is_member:
        return redirect("/")
    return render(request, "accounts/pending.html")


def directory(request):
    member_filter = None
    if set(request.GET) - {"page"}:
        member_filter = MemberFilter(request.GET, queryset=selectors.member_directory(request.user))
        members = selectors.directory_columns(member_filter.qs)
        filter_form = shared_filter_form(member_filter.form)
    else:  # no filter sent: neither the FilterSet nor its form is made (but once)
        members = selectors.unfiltered_directory(request.user)
        filter_form = shared_blank_filter_form(MemberFilter, lambda: MemberFilter(queryset=User.objects.none()))
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/directory.html",
        {
            "filter": member_filter,
            "filter_form": filter_form,
            "page": page,
            "entries": rendering.directory_entries(selectors.with_topics(page)),
            "query": query.urlencode(),
        },
    )


def member_detail(request, pk):
    member = get_object_or_404(User.objects.select_related("profile", "profile__kommune"), pk=pk)
    check_view_member(request.user, member)
    return render(
        request,
        "accounts/member_detail.html",
        {"member": member, "show_email": can_see_email(request.user, member)},
    )


def profile_edit(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.update_profile(user=request.user, **data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_form.html", {"form": form})


@staff_required
def approval_queue(request):
    return render(
        request,
        "accounts/approval_queue.html",
        {"pending": selectors.pending_members(), "reject_form": RejectForm()},
    )


@staff_required
@require_POST
def approve(request, pk):
    member = get_object_or_404(User, pk=pk)
    try:
        services.approve_member(member=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s has been approved and informed by email.") % {"name": member})
    return redirect("members:approval_queue")


@staff_required
@require_POST
def reject(request, pk):
    member = get_object_or_404(User, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for the rejection."))
        return redirect("members:approval_queue")
    try:
        services.reject_member(member=member, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration of %(name)s has been rejected.") % {"name": member})
    return redirect("members:approval_queue")


@staff_required
def invitations(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(email=form.cleaned_data["email"], by=request.user)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect("members:invitations")
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "invitations": Invitation.objects.select_related("invited_by", "accepted_by")[:100]},
    )


@public
def accept_invitation(request, token):
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=404)
    request.session[INVITATION_SESSION_KEY] = token
    messages.info(request, _("Welcome! Please complete your registration; no approval is needed."))
    return redirect(f"{reverse('account_signup')}?{urlencode({'email': invitation.email})}")
