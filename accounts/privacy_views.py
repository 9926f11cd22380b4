"""Privacy self-service pages: export, erasure, and the session keep-alive."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import privacy
from accounts.models import DataExport
from pages.decorators import pending_allowed


class EraseAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my account and personal data will be deleted and cannot be restored.")
    )


def _page(request, erase_form=None, status=200):
    exports = DataExport.objects.filter(user=request.user, expires_at__gt=timezone.now())
    return render(
        request,
        "accounts/privacy.html",
        {
            "exports": exports,
            "erase_form": erase_form or EraseAccountForm(),
            "blocking_workspaces": list(privacy.workspaces_blocking_erasure(request.user)),
        },
        status=status,
    )


@pending_allowed
def privacy_page(request):
    return _page(request)


@pending_allowed
@require_POST
def request_export(request):
    privacy.request_data_export(user=request.user)
    messages.success(
        request,
        _(
            "Your data export is being prepared. We will send you an email with the download link as soon as it is ready."
        ),
    )
    return redirect("accounts:privacy")


@pending_allowed
def download_export(request, token):
    export = privacy.available_export(user=request.user, token=token)
    if export is None:
        raise Http404
    response = FileResponse(
        open(privacy.export_path(export), "rb"),
        as_attachment=True,
        filename=f"datenexport-{export.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@pending_allowed
@require_POST
def erase_account(request):
    form = EraseAccountForm(request.POST)
    if not form.is_valid():
        return _page(request, erase_form=form, status=400)
    try:
        privacy.erase_account(user=request.user, password=form.cleaned_data["password"])
    except ValidationError as error:
        field = "password" if error.code == "password" else None
        for message in error.messages:
            form.add_error(field, message)
        return _page(request, erase_form=form, status=400)
    logout(request)
    return render(request, "accounts/privacy_erased.html")


@pending_allowed
@require_POST
def keepalive(request):
    """Extend the session: touching it makes the session middleware save it with a new expiry."""
    request.session.modified = True
    return HttpResponse(status=204)
