from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from people.selectors import child_for_user

from .admin_changes import admin_change_review
from .forms import AdminChangeReviewForm, EmergencyAccessForm, EmergencyReviewForm
from .models import AccessAction, AdminChange
from .selectors import (
    access_events_for_child,
    admin_changes_to_review,
    emergency_accesses_to_review,
    find_child_for_emergency_access,
    user_can_read_access_log,
)
from .services import AlreadyReviewed, access_event_record, emergency_access_open, emergency_access_review


def access_log(request: HttpRequest, public_id) -> HttpResponse:
    """Who has seen this record: for team managers and administrators who can see the child."""
    if not user_can_read_access_log(request.user):
        raise Http404("No child found")
    child = child_for_user(user=request.user, public_id=public_id)
    access_event_record(user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Access log")
    page = Paginator(access_events_for_child(child=child), 50).get_page(request.GET.get("page"))
    return render(request, "access/access_log.html", {"child": child, "page_obj": page, "events": page.object_list})


def emergency_open(request: HttpRequest) -> HttpResponse:
    if request.user.is_analyst:
        raise Http404("Partnership analysts cannot open children's records")
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = find_child_for_emergency_access(
            nhs_number=data["nhs_number"], family_name=data["family_name"], date_of_birth=data["date_of_birth"]
        )
        access_event_record(
            user=request.user,
            action=AccessAction.EMERGENCY_SEARCH,
            request=request,
            child=child,
            purpose=f"Emergency access: {data['reason']}",
            detail="Found one child" if child else "No unique match",
        )
        if child is None:
            form.add_error(
                None,
                "We could not find exactly one child with those details. Check them, or contact the front door.",
            )
        else:
            try:
                emergency_access_open(user=request.user, child=child, reason=data["reason"], request=request)
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                hours = settings.SIGHTLINE_EMERGENCY_ACCESS_HOURS
                messages.warning(request, f"Emergency access is open for {hours} hours. Your manager will review it.")
                return redirect("children:detail", public_id=child.public_id)
    return render(request, "access/emergency_open.html", {"form": form})


def emergency_reviews(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_team_manager or request.user.is_administrator):
        raise Http404("Not found")
    accesses = emergency_accesses_to_review(user=request.user).order_by("reviewed_at", "-opened_at")
    page = Paginator(accesses, settings.SIGHTLINE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "access/emergency_reviews.html",
        {"page_obj": page, "accesses": page.object_list, "form": EmergencyReviewForm()},
    )


def _review_posted(
    request: HttpRequest, form, *, review, reason_field: str, done: str, back: str, template: str, context: dict
) -> HttpResponse:
    """A review is recorded once: a second reviewer, or a reason that is not in words, sees the form again."""
    if form.is_valid():
        try:
            review(form.cleaned_data)
        except AlreadyReviewed as error:
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(reason_field, error)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(request, template, {**context, "form": form}, status=400)


@require_POST
def emergency_review(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_object_or_404(emergency_accesses_to_review(user=request.user), pk=pk)
    return _review_posted(
        request,
        EmergencyReviewForm(request.POST),
        review=lambda data: emergency_access_review(
            access=access, reviewer=request.user, outcome=data["outcome"], note=data["note"]
        ),
        reason_field="note",
        done=f"Review of emergency access by {access.user} recorded.",
        back="access:emergency_reviews",
        template="access/emergency_review_form.html",
        context={"access": access},
    )


def admin_changes(request: HttpRequest) -> HttpResponse:
    """Changes made in the Django admin, waiting for a second administrator's review."""
    if not request.user.is_administrator:
        raise Http404("Not found")
    page = Paginator(admin_changes_to_review(user=request.user), settings.SIGHTLINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "access/admin_changes.html",
        {"page_obj": page, "changes": page.object_list, "form": AdminChangeReviewForm()},
    )


@require_POST
def admin_change_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_administrator:
        raise Http404("Not found")
    # Reviewed changes are looked up too, so the second of two reviewers is told who was first.
    change = get_object_or_404(AdminChange.objects.select_related("actor"), pk=pk)
    if request.user.pk in (change.actor_id, change.affected_user_id):
        raise Http404("Another administrator must review a change you made or that changes your access")
    return _review_posted(
        request,
        AdminChangeReviewForm(request.POST),
        review=lambda data: admin_change_review(
            change=change, reviewer=request.user, outcome=data["outcome"], reason=data["reason"]
        ),
        reason_field="reason",
        done=f"Review of the change by {change.actor} recorded.",
        back="access:admin_changes",
        template="access/admin_change_review_form.html",
        context={"change": change},
    )
