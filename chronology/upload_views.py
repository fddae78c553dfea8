"""Bulk contribution pages: upload a CSV, see every row's result (a dry run), then write it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.models import AccessAction
from access.services import access_event_record

from .models import ChronologyUpload
from .services import chronology_upload_check, chronology_upload_write, user_may_upload
from .taxonomy import default_taxonomy
from .upload import COLUMNS, FileProblem, RowResult, check_rows, read_rows, rejects_csv, template_csv

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ROWS_PER_PAGE = 100


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Saved as CSV UTF-8, with the columns described below.",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 50 MB. Split it into smaller files.")
        return upload


class WriteForm(forms.Form):
    valid_only = forms.BooleanField(
        label="Write only the valid rows, and download the rejected rows to correct", required=False
    )


def _uploader(request: HttpRequest) -> None:
    if not user_may_upload(request.user):
        raise Http404("Only practitioners in a partner agency can upload chronology events")


def _own_upload(request: HttpRequest, pk: int) -> ChronologyUpload:
    _uploader(request)
    upload = get_object_or_404(ChronologyUpload, pk=pk, uploader=request.user)
    if upload.is_expired:
        raise Http404("This upload has expired")
    return upload


def upload_start(request: HttpRequest) -> HttpResponse:
    _uploader(request)
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    file_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["file"]
        try:
            upload = chronology_upload_check(user=request.user, filename=chosen.name, raw=chosen.read())
        except FileProblem as problem:
            file_errors = problem.errors
            for error in problem.errors:
                form.add_error("file", error)
        else:
            return redirect("chronology:upload_check", pk=upload.pk)
    taxonomy = default_taxonomy()
    return render(
        request,
        "chronology/upload.html",
        {"form": form, "columns": COLUMNS, "events": taxonomy.hand_recordable(), "file_errors": file_errors},
    )


def upload_template(request: HttpRequest) -> HttpResponse:
    _uploader(request)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="chronology-events-template.csv"'
    return response


def upload_check(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    form = WriteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            written = chronology_upload_write(
                upload=upload, user=request.user, valid_only=form.cleaned_data["valid_only"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("valid_only" if upload.error_count else None, message)
        else:
            messages.success(request, f"{written} event{'s' if written != 1 else ''} added to the chronologies.")
            return redirect("chronology:upload_check", pk=upload.pk)
        upload.refresh_from_db()
    rows = upload.results
    errors = [r for r in rows if r[1] == "error"]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    access_event_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        purpose="Chronology upload check",
        detail=f"Upload {upload.pk}: {upload.row_count} rows, page {page.number}",
    )
    context = {
        "upload": upload,
        "form": form,
        "errors": errors[: settings.SIGHTLINE_PAGE_SIZE * 40],
        "error_total": len(errors),
        "page_obj": page,
        "recorded": sum(1 for r in rows if r[1] == "recorded"),
    }
    return render(request, "chronology/upload_check.html", context)


def upload_rejects(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    result = check_rows(user=request.user, rows=read_rows(upload.content))
    rejected: list[RowResult] = result.errors
    access_event_record(
        user=request.user,
        action=AccessAction.EXPORT,
        request=request,
        purpose="Chronology upload rejects",
        detail=f"Upload {upload.pk}: {len(rejected)} rejected rows",
    )
    response = HttpResponse(rejects_csv(rejected).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{upload.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response
