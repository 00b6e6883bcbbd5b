"""Document registry pages (sổ văn bản): the list, issuing an outgoing document, registering an incoming one, a
document's page and file, and the reference finder that tells which cited documents are already in the registry.

Every query goes through cchc.agencies.scoping; the file is served by a view that checks it, never from MEDIA_URL.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.agencies.models import Agency
from cchc.agencies.scoping import can, get_scoped_or_404, home_agency, require, scope
from cchc.audit import timeline

from .forms import DocumentFilterForm, IncomingForm, IssueForm, ReferenceForm
from .models import Document
from .numbering import format_number, issue_document
from .references import find_references
from .services import match_references, register_incoming, search_documents

PAGE_SIZE = 50


def _document_or_404(request: HttpRequest, pk: int) -> Document:
    return get_scoped_or_404(Document.objects.select_related("agency", "register", "created_by"), request.user, pk=pk)


def _acting_agency(request: HttpRequest) -> Agency:
    agency = home_agency(request.user)
    if agency is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc cơ quan nào."))
    require(request.user, "document.issue", agency)
    return agency


# --- list ------------------------------------------------------------------------------------------------------


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET)
    documents = scope(Document.objects.select_related("agency", "register"), request.user)
    notes: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
    else:
        notes = [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
        data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    if data.get("direction"):
        documents = documents.filter(direction=data["direction"])
    if data.get("kind"):
        documents = documents.filter(kind=data["kind"])
    if data.get("year"):
        documents = documents.filter(year=data["year"])
    if data.get("q"):
        documents = search_documents(documents, data["q"])
    page = Paginator(documents.order_by("-issue_date", "-pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    agency = home_agency(request.user)
    return render(
        request,
        "documents/list.html",
        {
            "form": form,
            "page": page,
            "notes": notes,
            "query": params.urlencode(),
            "can_issue": agency is not None and can(request.user, "document.issue", agency),
        },
    )


# --- issue and register ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest) -> HttpResponse:
    agency = _acting_agency(request)
    form = IssueForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "signer_name": data["signer_name"],
            "signer_title": data["signer_title"],
            "signing_form": data["signing_form"],
            "digitally_signed": data["digitally_signed"],
        }
        if data["file"]:
            fields["file"] = data["file"]
        try:
            document = issue_document(
                register=data["register"],
                kind=data["kind"],
                excerpt=data["excerpt"],
                issue_date=data["issue_date"],
                actor=request.user,
                unit_code=data["unit_code"] or None,
                **fields,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Đã cấp số %(number)s cho văn bản.") % {"number": document.number_symbol})
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/issue.html", {"form": form, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def incoming(request: HttpRequest) -> HttpResponse:
    agency = _acting_agency(request)
    form = IncomingForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        number, symbol = data["number_symbol"]
        fields = {"signer_name": data["signer_name"], "signing_form": data["signing_form"]}
        if data["file"]:
            fields["file"] = data["file"]
        try:
            document = register_incoming(
                agency,
                actor=request.user,
                kind=data["kind"],
                number=number,
                symbol=symbol,
                issue_date=data["issue_date"],
                issuing_body=data["issuing_body"],
                excerpt=data["excerpt"],
                register=data["register"],
                **fields,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if document.numeric_number:
                text = _("Đã vào sổ văn bản đến %(doc)s, số đến %(n)s.") % {
                    "doc": document.number_symbol,
                    "n": format_number(document.numeric_number),
                }
            else:
                text = _("Đã lưu văn bản %(doc)s.") % {"doc": document.number_symbol}
            messages.success(request, text)
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/incoming.html", {"form": form, "agency": agency})


# --- detail and file -------------------------------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "file_name": os.path.basename(document.file.name) if document.file else "",
            "history": timeline.entries(document),
            "plans": scope(document.plans.all(), request.user),
        },
    )


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    document = _document_or_404(request, pk)
    if not document.file:
        raise Http404(_("Văn bản chưa có tệp."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Không tìm thấy tệp của văn bản.")) from exc
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(document.file.name))


# --- references ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def references(request: HttpRequest) -> HttpResponse:
    """Read-only: anyone who reads the registry may use it; POST only because pasted text can be long."""
    form = ReferenceForm(request.POST or None)
    rows = None
    documents = scope(Document.objects.all(), request.user)
    agency = home_agency(request.user)
    if agency is not None:
        documents = documents.filter(agency=agency)
    if request.method == "POST" and form.is_valid():
        rows = match_references(find_references(form.cleaned_data["text"]), documents)
    return render(
        request,
        "documents/references.html",
        {
            "form": form,
            "rows": rows,
            "agency": agency,
            "found": sum(1 for _ref, doc in rows or [] if doc is not None),
            "can_issue": agency is not None and can(request.user, "document.issue", agency),
        },
    )
