from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from documents import permissions, rendering, selectors, services
from documents.filetypes import display_filename, human_size, max_upload_size
from documents.filters import DocumentFilter
from documents.forms import CommentForm, DocumentMetadataForm, DuplicateChoiceForm, UploadForm, VersionForm
from documents.models import Document
from documents.uploadhandlers import SizeLimitUploadHandler
from forums.permissions import can_reply as perms_can_reply
from forums.ratelimit import RateLimitError
from forums.selectors import discussion_thread_for
from forums.services import discuss_document
from workspaces.models import Workspace
from workspaces.rendering import shared_filter_form

DOCUMENTS_PER_PAGE = 20
PENDING_SESSION_KEY = "documents_pending_duplicates"


def _is_xhr(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _done(request, url: str):
    """Where to go after a successful upload: a redirect, or its URL for the upload script."""
    if _is_xhr(request):
        return JsonResponse({"redirect": url})
    return redirect(url)


def _too_large(request):
    message = _("The file is larger than the allowed %(limit)s.") % {"limit": human_size(max_upload_size())}
    if _is_xhr(request):
        return JsonResponse({"error": message}, status=413)
    return render(request, "documents/too_large.html", {"message": message}, status=413)


def _with_size_limit(view):
    """Install the streaming size limit before the body is parsed, then check CSRF as usual
    (the CSRF check reads the body, so it must come after the handler is in place)."""
    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _parse_upload(request):
    """Read the body now (through the size-limit handler), so the limit flag is known."""
    request.FILES  # noqa: B018
    return request


# --- Browsing ---------------------------------------------------------------------------


@require_safe
def document_list(request):
    document_filter = DocumentFilter(request.GET or None, queryset=Document.objects.none(), request=request)
    total, facets, rows = selectors.library_for(request.user, document_filter)
    paginator = Paginator(rows, DOCUMENTS_PER_PAGE)
    paginator.count = total  # counted with the facets
    page = paginator.get_page(request.GET.get("page"))
    workspace = None
    if document_filter.is_bound and document_filter.is_valid():
        workspace = document_filter.form.cleaned_data.get("workspace")
    query = request.GET.copy()
    query.pop("page", None)
    facet_links = {}
    for key, items in facets.items():
        links = []
        for value, label, count in items:
            params = query.copy()
            params[key] = value
            links.append(
                {"label": label, "count": count, "url": "?" + params.urlencode(), "active": query.get(key) == value}
            )
        facet_links[key] = links
    upload_url = reverse("documents:upload")
    workspace_url = None
    if workspace is not None:
        upload_url += "?" + urlencode({"workspace": workspace.slug})
        try:
            workspace_url = workspace.get_absolute_url()
        except NoReverseMatch:  # the workspace pages are not installed yet
            workspace_url = None
    return render(
        request,
        "documents/document_list.html",
        {
            "filter": document_filter,
            "filter_form": shared_filter_form(document_filter.form, request.user),
            "page": page,
            "rows": rendering.document_rows(selectors.with_row_details(page)),
            "query": query.urlencode(),
            "workspace": workspace,
            "workspace_url": workspace_url,
            "facets": facet_links,
            "upload_url": upload_url,
            "can_upload_here": permissions.can_upload_to(request.user, workspace),
        },
    )


@require_safe
def document_detail(request, pk):
    document = selectors.document_for_user(request.user, pk)
    discussion_thread = discussion_thread_for(request.user, document)
    can_comment = (
        perms_can_reply(request.user, discussion_thread)
        if discussion_thread is not None
        else permissions.can_upload_to(request.user, document.workspace)
    )
    selectors.with_row_details([document])
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "version": document.current_version,
            "versions": selectors.versions_of(document),
            "can_edit": permissions.can_edit_document(request.user, document),
            "can_delete": permissions.can_delete_document(request.user, document),
            "can_pin": permissions.can_moderate_document(request.user, document) and document.workspace_id is not None,
            "discussion_thread": discussion_thread,
            "comment_form": CommentForm() if can_comment else None,
        },
    )


@require_POST
def pin(request, pk):
    document = selectors.document_for_user(request.user, pk)
    pinned = request.POST.get("pinned") != "0"
    services.pin_document(document=document, by=request.user, pinned=pinned)
    messages.success(request, _("The document has been pinned.") if pinned else _("The document is no longer pinned."))
    return redirect(document)


@require_POST
def comment(request, pk):
    """Post a comment to the document's forum discussion (opened by the first comment)."""
    document = selectors.document_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write a comment."))
        return redirect(document)
    try:
        post = discuss_document(author=request.user, document=document, body=form.cleaned_data["body"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(document)
    except RateLimitError as error:
        messages.error(request, str(error))
        return redirect(document)
    messages.success(request, _("Your comment has been posted in the discussion."))
    return redirect(post.get_absolute_url())


# --- Upload -----------------------------------------------------------------------------


def _upload_context(request, form):
    return {"form": form, "limit": human_size(max_upload_size()), "max_bytes": max_upload_size()}


def _render_upload_form(request, form, status=200):
    context = _upload_context(request, form)
    if _is_xhr(request):
        html = render_to_string("documents/partials/upload_form.html", context, request=request)
        return JsonResponse({"html": html}, status=status)
    return render(request, "documents/upload.html", context, status=status)


@_with_size_limit
def upload(request):
    if request.method == "POST" and _parse_upload(request).upload_too_large:
        return _too_large(request)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        limit_label=human_size(max_upload_size()),
        initial={"workspace": request.GET.get("workspace", "")},
    )
    if request.method != "POST" or not form.is_valid():
        return _render_upload_form(request, form, status=400 if request.method == "POST" else 200)

    data = form.cleaned_data
    files = data["files"]
    metadata = {
        "workspace": data["workspace"],
        "description": data["description"],
        "kind": data["kind"],
        "topics": list(data["topics"]),
        "kommunen": list(data["kommunen"]),
        "year": data["year"],
    }
    created, duplicates, refused = [], {}, []
    for uploaded in files:
        try:
            created.append(
                services.upload_document(
                    uploader=request.user, file=uploaded, title=data["title"] if len(files) == 1 else "", **metadata
                )
            )
        except services.DuplicateUploadError as duplicate:
            token = services.stash_upload(uploaded)
            duplicates[token] = {
                "name": duplicate.inspected.original_filename,
                "existing": duplicate.existing.pk,
                "title": data["title"] if len(files) == 1 else "",
                "workspace": data["workspace"].pk if data["workspace"] else None,
                "description": data["description"],
                "kind": data["kind"],
                "topics": [t.pk for t in data["topics"]],
                "kommunen": [k.pk for k in data["kommunen"]],
                "year": data["year"],
            }
        except ValidationError as error:
            refused.append((uploaded.name, " ".join(error.messages)))

    if refused and not created and not duplicates:
        for name, message in refused:
            form.add_error("files", f"{display_filename(name)}: {message}")
        return _render_upload_form(request, form, status=400)
    for name, message in refused:
        messages.error(request, f"{display_filename(name)}: {message}")
    if created:
        messages.success(
            request,
            _("Uploaded: %(titles)s") % {"titles": ", ".join(f"„{document.title}“" for document in created)},
        )
    if duplicates:
        pending = request.session.get(PENDING_SESSION_KEY, {})
        pending.update(duplicates)
        request.session[PENDING_SESSION_KEY] = pending
        return _done(request, reverse("documents:duplicates"))
    if len(created) == 1:
        return _done(request, created[0].get_absolute_url())
    library = reverse("documents:list")
    if data["workspace"]:
        library += "?" + urlencode({"workspace": data["workspace"].slug})
    return _done(request, library)


def duplicates(request):
    """The confirmation step for uploads whose bytes already exist in the same library."""
    pending = request.session.get(PENDING_SESSION_KEY, {})
    existing = {
        document.pk: document
        for document in selectors.documents_visible_to(request.user).filter(
            pk__in=[entry["existing"] for entry in pending.values()]
        )
    }
    items = []
    for token, entry in pending.items():
        document = existing.get(entry["existing"])
        form = DuplicateChoiceForm(
            request.POST or None,
            prefix=token,
            can_add_version=document is not None and permissions.can_edit_document(request.user, document),
        )
        items.append({"token": token, "entry": entry, "existing": document, "form": form})
    if not items:
        return redirect("documents:list")
    if request.method == "POST" and all(item["form"].is_valid() for item in items):
        for item in items:
            _resolve_duplicate(request, item)
        request.session[PENDING_SESSION_KEY] = {}
        return redirect("documents:list")
    return render(request, "documents/duplicates.html", {"items": items})


def _resolve_duplicate(request, item) -> None:
    token, entry, action = item["token"], item["entry"], item["form"].cleaned_data["action"]
    try:
        if action == DuplicateChoiceForm.DISCARD:
            return
        stashed = services.stashed_file(token, entry["name"])
        if stashed is None:
            messages.error(request, _("%(name)s: the file is no longer available, please upload it again.") % entry)
            return
        with stashed:
            if action == DuplicateChoiceForm.VERSION and item["existing"] is not None:
                services.add_version(
                    document=item["existing"],
                    uploader=request.user,
                    file=stashed,
                    change_note=_("Uploaded again"),
                    allow_identical=True,
                )
                messages.success(request, _("New version of „%(title)s“ added.") % {"title": item["existing"].title})
            else:
                workspace = Workspace.objects.filter(pk=entry["workspace"]).first() if entry["workspace"] else None
                document = services.upload_document(
                    uploader=request.user,
                    file=stashed,
                    workspace=workspace,
                    title=entry["title"],
                    description=entry["description"],
                    kind=entry["kind"],
                    topics=entry["topics"],
                    kommunen=entry["kommunen"],
                    year=entry["year"],
                    allow_duplicate=True,
                )
                messages.success(request, _("Uploaded: %(titles)s") % {"titles": f"„{document.title}“"})
    except (ValidationError, PermissionDenied) as error:
        detail = " ".join(getattr(error, "messages", [])) or _("You may not upload here.")
        messages.error(request, f"{entry['name']}: {detail}")
    finally:
        services.discard_stash(token)


@_with_size_limit
def version_upload(request, pk):
    document = selectors.document_for_user(request.user, pk)
    permissions.check_edit_document(request.user, document)
    if request.method == "POST" and _parse_upload(request).upload_too_large:
        return _too_large(request)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.add_version(
                document=document,
                uploader=request.user,
                file=form.cleaned_data["file"],
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Version %(number)s has been uploaded.") % {"number": version.number})
            return _done(request, document.get_absolute_url())
    context = {
        "form": form,
        "document": document,
        "limit": human_size(max_upload_size()),
        "max_bytes": max_upload_size(),
    }
    status = 400 if request.method == "POST" else 200
    if _is_xhr(request):
        html = render_to_string("documents/partials/version_form.html", context, request=request)
        return JsonResponse({"html": html}, status=status)
    return render(request, "documents/version_upload.html", context, status=status)


# --- Changes ----------------------------------------------------------------------------


def document_edit(request, pk):
    document = selectors.document_for_user(request.user, pk)
    permissions.check_edit_document(request.user, document)
    form = DocumentMetadataForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        services.update_document(document=document, by=request.user, **form.cleaned_data)
        messages.success(request, _("The details have been saved."))
        return redirect(document)
    return render(request, "documents/document_edit.html", {"form": form, "document": document})


def document_delete(request, pk):
    document = selectors.document_for_user(request.user, pk)
    permissions.check_delete_document(request.user, document)
    if request.method == "POST":
        services.delete_document(document=document, by=request.user)
        messages.success(request, _("„%(title)s“ has been deleted.") % {"title": document.title})
        url = reverse("documents:list")
        if document.workspace_id:
            url += "?" + urlencode({"workspace": document.workspace.slug})
        return redirect(url)
    return render(
        request,
        "documents/document_delete.html",
        {"document": document, "retention_days": settings.DOCUMENTS_DELETED_RETENTION_DAYS},
    )


@require_POST
def version_restore(request, pk, number):
    version = selectors.version_for_user(request.user, pk, number)
    services.restore_version(version=version, by=request.user)
    messages.success(request, _("Version %(number)s is the current version again.") % {"number": number})
    return redirect(version.document)


# --- Downloads --------------------------------------------------------------------------


def _file_response(version):
    """The bytes as an attachment that no browser renders inline; nginx sends them when
    ``DOCUMENTS_X_ACCEL_REDIRECT`` names its internal location."""
    accel_prefix = settings.DOCUMENTS_X_ACCEL_REDIRECT
    if accel_prefix:
        response = HttpResponse(content_type=version.content_type)
        response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + quote(version.file.name)
        response["Content-Disposition"] = content_disposition_header(True, version.original_filename)
    else:
        try:
            handle = default_storage.open(version.file.name, "rb")
        except FileNotFoundError:
            raise Http404
        response = FileResponse(
            handle, as_attachment=True, filename=version.original_filename, content_type=version.content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
def download(request, pk):
    document = selectors.document_for_user(request.user, pk)
    if document.current_version is None:
        raise Http404
    response = _file_response(document.current_version)
    services.count_download(document)
    return response


@require_safe
def version_download(request, pk, number):
    version = selectors.version_for_user(request.user, pk, number)
    response = _file_response(version)
    services.count_download(version.document)
    return response
