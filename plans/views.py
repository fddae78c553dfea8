"""Thin views for plans. Each starts from a child the user can see, finds the plan through that child
(404 otherwise), and writes one access event per page of identifiable data."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from access.authority import RULES, Act, authorise, relations_by_child
from access.models import AccessAction
from access.services import access_event_record
from accounts.models import Agency, User
from assessments.models import AssessedChild
from cases.models import Involvement
from people.models import Adult, Child
from people.selectors import child_for_user

from . import selectors
from .forms import FeedbackForm, MeetingForm, PlanCreateForm, PlanEditForm, ReviewForm, VoiceForm, normal_value
from .models import Plan, PlanStatus
from .needs import assessment_grade_rows, need_grade
from .services import (
    FamilyMember,
    PlanConflict,
    PlanError,
    can_publish,
    feedback_record,
    meeting_record,
    plan_children,
    plan_create_from_assessment,
    plan_flags,
    plan_needs,
    plan_publish,
    plan_update,
    review_record,
    unresolved_flags,
    voice_record_add,
)
from .voice import method_label

EDIT_SALT = "plans.edit.base"


def _record(request: HttpRequest, child, detail: str) -> None:
    access_event_record(user=request.user, action=AccessAction.VIEW, request=request, child=child, detail=detail)


def _record_each(request: HttpRequest, children: list[Child], detail: str) -> None:
    """One access event per child whose details are on the page."""
    for shown in children:
        _record(request, shown, detail)


def _visible_children(request: HttpRequest, plan: Plan) -> tuple[list[Child], int]:
    """The plan's children this viewer may see, and how many others the plan covers."""
    children = plan_children(plan)
    visible = set(
        Child.objects.visible_to(request.user).filter(pk__in=[c.pk for c in children]).values_list("pk", flat=True)
    )
    return [c for c in children if c.pk in visible], len(children) - len(visible)


def _may_act_for(request: HttpRequest, act: Act, children: list[Child]) -> list[Child]:
    relations = relations_by_child(request.user, children)
    return [c for c in children if relations[c.pk] & RULES[act].relations]


def _plan_powers(request: HttpRequest, children: list[Child], hidden: int) -> dict[str, bool]:
    """Which of the plan's buttons to offer: acts on the whole plan need authority for every child."""
    every = not hidden and len(_may_act_for(request, Act.PLAN_EDIT, children)) == len(children)
    meets = not hidden and len(_may_act_for(request, Act.MEETING_RECORD, children)) == len(children)
    return {
        "may_edit": every,
        "may_review": every,
        "may_record_meeting": meets,
        "may_add_voice": bool(_may_act_for(request, Act.VOICE_ADD, children)),
    }


def _name_needs(plan: Plan, outcomes) -> None:
    """Gives each outcome the tool's name for the domain it addresses (from the stored definition)."""
    definition = plan.assessment.tool_version.definition if plan.assessment_id else {}
    names = {d["key"]: d["name"] for d in definition.get("domains", [])}
    for outcome in outcomes:
        outcome.need_name = names.get(outcome.need_domain_key, outcome.need_domain_key)


def _plan_of_child(request: HttpRequest, public_id, plan_id):
    child = child_for_user(user=request.user, public_id=public_id)
    return child, selectors.plan_for_child(child=child, plan_id=plan_id)


def plan_list(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    page = Paginator(selectors.plans_for_child(child=child), settings.SIGHTLINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _record(request, child, f"Plans, page {page.number}")
    return render(request, "plans/plan_list.html", {"child": child, "page_obj": page, "plans": page.object_list})


def plan_create(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.PLAN_EDIT, children=[child])
    assessments = list(selectors.baseline_assessments_for_child(child=child)[:20])
    assessed_rows = AssessedChild.objects.filter(assessment__in=[a.pk for a in assessments]).select_related("child")
    assessed = {a.child for a in assessed_rows}
    # Only brothers and sisters whose case this practitioner holds can be put on the plan.
    children = sorted(
        _may_act_for(request, Act.PLAN_EDIT, list(assessed)),
        key=lambda c: (c.date_of_birth or c.expected_date_of_birth, c.pk),
    )
    initial = {"children": [str(child.public_id)]}
    if assessments:
        initial["assessment"] = str(assessments[0].public_id)
    form = PlanCreateForm(
        request.POST if request.method == "POST" else None, assessments=assessments, children=children, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plan_create_from_assessment(
                assessment=form.assessments[data["assessment"]],
                children=[form.children[k] for k in data["children"]],
                plan_type=data["plan_type"],
                lead=request.user,
                created_by=request.user,
                on=timezone.localdate(),
                abuse_category=data["abuse_category"],
            )
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            if not plan.plan_children.filter(child=child).exists():
                # The plan is for siblings only: show it through one of them.
                child = plan.plan_children.select_related("child").first().child
            messages.success(
                request, "Draft plan started. Each unmet need from the assessment is an outcome: edit them."
            )
            return redirect("plans:edit", public_id=child.public_id, plan_id=plan.public_id)
    _record(request, child, "Start a plan")
    return render(request, "plans/plan_create.html", {"child": child, "form": form, "assessments": assessments})


def plan_detail(request: HttpRequest, public_id, plan_id) -> HttpResponse:
    child, plan = _plan_of_child(request, public_id, plan_id)
    children, hidden = _visible_children(request, plan)
    _record_each(request, children, f"Plan {plan.public_id}")
    shown = {c.pk for c in children}
    # Outcomes and the child's voice for a brother or sister this viewer cannot see stay hidden.
    outcomes = [o for o in selectors.outcomes_with_actions(plan=plan) if o.need_child_id in shown | {None}]
    _name_needs(plan, outcomes)
    flags = plan_flags(plan, outcomes=outcomes, needs=plan_needs(plan, children)) if not hidden else []
    reviews = selectors.recent_reviews(plan=plan)
    for review in reviews:
        review.shown_progress = [p for p in review.progress.all() if p.outcome.need_child_id in shown | {None}]
    voice = [v for v in selectors.recent_voice(plan=plan) if v.child_id in shown]
    for record in voice:
        record.method_name = method_label(record.method_key)
    written = {(j.check_key, j.subject): j for j in plan.justifications.select_related("written_by") if j.text.strip()}
    context = {
        "child": child,
        "plan": plan,
        "children": children,
        "outcomes": outcomes,
        "flags": flags,
        "unresolved": [f for f in flags if (f.check_key, f.subject) not in written],
        "justified": [(f, written[(f.check_key, f.subject)]) for f in flags if (f.check_key, f.subject) in written],
        "meetings": selectors.recent_meetings(plan=plan),
        "reviews": reviews,
        "voice": voice,
        "today": timezone.localdate(),
        "hidden_children": hidden,
        **_plan_powers(request, children, hidden),
        "can_publish": can_publish(request.user, plan) and not hidden,
    }
    return render(request, "plans/plan_detail.html", context)


def _edit_form(plan: Plan, data=None) -> PlanEditForm:
    children = plan_children(plan)
    outcomes = selectors.outcomes_with_actions(plan=plan)
    _name_needs(plan, outcomes)
    needs = plan_needs(plan, children)
    flags = plan_flags(plan, outcomes=outcomes, needs=needs)
    child_ids = [c.pk for c in children]
    involved = Involvement.objects.active().filter(child_id__in=child_ids) | Involvement.objects.active().filter(
        household_id=plan.household_id
    )
    users = list(
        User.objects.filter(Q(pk__in=involved.values("practitioner_id")) | Q(pk=plan.lead_id)).order_by(
            "last_name", "first_name", "pk"
        )
    )
    adults = list(Adult.objects.filter(household_id=plan.household_id).order_by("family_name", "given_name", "pk"))
    justifications = {(j.check_key, j.subject): j.text for j in plan.justifications.all()}
    return PlanEditForm(
        data,
        plan=plan,
        outcomes=outcomes,
        users=users,
        adults=adults,
        flags=flags,
        justifications=justifications,
        needs=needs,
    )


def _conflict(request: HttpRequest, child, plan: Plan, mine: PlanEditForm) -> HttpResponse:
    """Their saved version next to this editor's unsaved changes, with a way to apply the changes again."""
    plan.refresh_from_db()
    current = _edit_form(plan)
    theirs = current.values()
    try:
        base = signing.loads(request.POST.get("base", ""), salt=EDIT_SALT)
    except signing.BadSignature:
        base = {}
    changed = sorted(mine.changed_names(base), key=list(mine.fields).index)
    rows = [
        {
            "label": mine.fields[name].label,
            "theirs": theirs.get(name, "(removed)") if name in current.fields else "(removed by them)",
            "yours": request.POST.get(name, ""),
            "both": name in current.fields and theirs.get(name, "") != base.get(name, ""),
            "name": name,
        }
        for name in changed
    ]
    # Changes to outcomes or actions they removed: shown, but there is nothing left to apply them to.
    gone = sorted(
        name
        for name in base
        if name not in mine.fields
        and normal_value(request.POST.get(name)) != base.get(name, "")
        and name in request.POST
    )
    rows += [
        {
            "label": "An outcome or action they removed",
            "theirs": "(removed)",
            "yours": request.POST[name],
            "both": True,
            "name": name,
            "removed": True,
        }
        for name in gone
    ]
    _record_each(request, plan_children(plan), f"Plan {plan.public_id}: edit conflict")
    context = {
        "child": child,
        "plan": plan,
        "rows": rows,
        "outcomes": selectors.outcomes_with_actions(plan=plan),
        "base": signing.dumps(theirs, salt=EDIT_SALT),
    }
    return render(request, "plans/plan_conflict.html", context, status=409)


def plan_edit(request: HttpRequest, public_id, plan_id) -> HttpResponse:
    child, plan = _plan_of_child(request, public_id, plan_id)
    if not plan.is_editable:
        messages.info(request, "This plan has ended and can no longer be changed.")
        return redirect("plans:detail", public_id=child.public_id, plan_id=plan.public_id)
    authorise(user=request.user, act=Act.PLAN_EDIT, children=plan_children(plan))
    form = _edit_form(plan)
    revision, base_token, publish_error = plan.revision, signing.dumps(form.values(), salt=EDIT_SALT), ""
    if request.method == "POST":
        posted = request.POST
        try:
            revision = int(posted.get("revision", ""))
        except ValueError:
            revision = 0
        base_token = posted.get("base", "")
        try:
            base = signing.loads(base_token, salt=EDIT_SALT)
        except signing.BadSignature:
            base, revision = {}, 0
        data = {**form.values(), **posted.dict()} if posted.get("reapply") else posted
        form = _edit_form(plan, data)
        if revision != plan.revision:
            return _conflict(request, child, plan, form)
        if form.is_valid():
            changes = form.changes(form.changed_names(base), timezone.localdate())
            try:
                plan = plan_update(plan=plan, user=request.user, expected_revision=revision, changes=changes)
            except PlanConflict:
                return _conflict(request, child, plan, form)
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                if "publish" not in posted:
                    messages.success(request, "Plan saved.")
                    return redirect("plans:edit", public_id=child.public_id, plan_id=plan.public_id)
                try:
                    plan_publish(plan=plan, user=request.user, expected_revision=plan.revision)
                except PlanError as error:
                    publish_error = str(error)
                    form = _edit_form(plan)
                    revision, base_token = plan.revision, signing.dumps(form.values(), salt=EDIT_SALT)
                else:
                    messages.success(request, "Plan published.")
                    return redirect("plans:detail", public_id=child.public_id, plan_id=plan.public_id)
    _record_each(request, plan_children(plan), f"Plan {plan.public_id}: edit")
    context = {
        "child": child,
        "plan": plan,
        "form": form,
        "revision": revision,
        "base": base_token,
        "flags": form.flags,
        "unresolved": unresolved_flags(plan, form.flags),
        "publish_error": publish_error,
        "can_publish": can_publish(request.user, plan) and plan.status == PlanStatus.DRAFT,
    }
    return render(request, "plans/plan_edit.html", context)


def _plan_agencies() -> list[Agency]:
    return list(Agency.objects.order_by("name")[:200])


def meeting_create(request: HttpRequest, public_id, plan_id) -> HttpResponse:
    child, plan = _plan_of_child(request, public_id, plan_id)
    children = plan_children(plan)
    authorise(user=request.user, act=Act.MEETING_RECORD, children=children)
    adults = list(Adult.objects.filter(household_id=plan.household_id).order_by("family_name", "given_name", "pk"))
    involved = Involvement.objects.active().filter(child_id__in=[c.pk for c in children]).values("practitioner_id")
    manager_id = plan.lead.team.manager_id if plan.lead.team else None
    chairs = list(
        User.objects.filter(Q(pk__in=involved) | Q(pk__in=[request.user.pk, plan.lead_id, manager_id])).order_by(
            "last_name", "first_name", "pk"
        )
    )
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        chairs=chairs,
        agencies=_plan_agencies(),
        adults=adults,
        children=children,
        initial={"chair": str(request.user.pk)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agencies = {str(a.pk): a for a in _plan_agencies()}
        family = [
            FamilyMember(name=a.full_name, attended=data[f"adult{a.pk}"] == "yes", adult=a)
            for a in adults
            if data.get(f"adult{a.pk}") in {"yes", "no"}
        ]
        meeting = meeting_record(
            plan=plan,
            meeting_type=data["meeting_type"],
            held_on=data["held_on"],
            chair=next(u for u in chairs if str(u.pk) == data["chair"]),
            invited=[agencies[k] for k in data["invited"]],
            attending=[agencies[k] for k in data["attending"]],
            family=family,
            participation={c: (data[f"child{c.pk}"], data[f"child{c.pk}_note"]) for c in children},
            recorded_by=request.user,
            notes=data["notes"],
        )
        messages.success(request, "Meeting recorded. Ask the family for their feedback.")
        return redirect(
            "plans:meeting_detail", public_id=child.public_id, plan_id=plan.public_id, meeting_id=meeting.public_id
        )
    _record_each(request, children, f"Plan {plan.public_id}: record a meeting")
    return render(
        request,
        "plans/meeting_form.html",
        {
            "child": child,
            "plan": plan,
            "form": form,
            "adult_fields": [form[f"adult{a.pk}"] for a in adults],
            "child_fields": [(form[f"child{c.pk}"], form[f"child{c.pk}_note"]) for c in children],
        },
    )


def meeting_detail(request: HttpRequest, public_id, plan_id, meeting_id) -> HttpResponse:
    child, plan = _plan_of_child(request, public_id, plan_id)
    meeting = selectors.meeting_for_plan(plan=plan, meeting_id=meeting_id)
    children, hidden = _visible_children(request, plan)
    _record_each(request, children, f"Meeting {meeting.public_id}")
    shown = {c.pk for c in children}
    context = {
        "child": child,
        "plan": plan,
        "meeting": meeting,
        "invited": list(meeting.invited_agencies.order_by("name")),
        "attending": list(meeting.attending_agencies.order_by("name")),
        "family": list(meeting.family_attendance.all()),
        "participation": [p for p in meeting.child_participation.select_related("child") if p.child_id in shown],
        "hidden_children": hidden,
        "may_record_feedback": bool(_may_act_for(request, Act.FEEDBACK_RECORD, children)),
        "feedback": list(meeting.feedback.order_by("-recorded_on", "-id")[:20]),
    }
    return render(request, "plans/meeting_detail.html", context)


def feedback_create(request: HttpRequest, public_id, plan_id, meeting_id) -> HttpResponse:
    child, plan = _plan_of_child(request, public_id, plan_id)
    meeting = selectors.meeting_for_plan(plan=plan, meeting_id=meeting_id)
    authorise(user=request.user, act=Act.FEEDBACK_RECORD, children=plan_children(plan), every=False)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        feedback_record(
            meeting=meeting, recorded_by=request.user, recorded_on=timezone.localdate(), **form.cleaned_data
        )
        messages.success(request, "Thank you: the family's feedback is recorded.")
        return redirect(
            "plans:meeting_detail", public_id=child.public_id, plan_id=plan.public_id, meeting_id=meeting.public_id
        )
    _record(request, child, f"Meeting {meeting.public_id}: family feedback")
    return render(request, "plans/feedback_form.html", {"child": child, "plan": plan, "meeting": meeting, "form": form})


def review_create(request: HttpRequest, public_id, plan_id) -> HttpResponse:
    child, plan = _plan_of_child(request, public_id, plan_id)
    if plan.status != PlanStatus.PUBLISHED:
        raise Http404("Only a published plan can be reviewed")
    children = plan_children(plan)
    authorise(user=request.user, act=Act.PLAN_REVIEW, children=children)
    outcomes = list(plan.outcomes.select_related("need_child"))
    _name_needs(plan, outcomes)
    meetings = list(plan.meetings.order_by("-held_on", "-id")[:20])
    assessments = list(selectors.repeat_assessments_for_plan(plan=plan)[:20])
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        outcomes=outcomes,
        meetings=meetings,
        assessments=assessments,
        initial={"held_on": timezone.localdate().isoformat()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = review_record(
                plan=plan,
                recorded_by=request.user,
                held_on=data["held_on"],
                decision=data["decision"],
                decision_reason=data["decision_reason"],
                progress={o.pk: (data[f"o{o.pk}_status"], data[f"o{o.pk}_evidence"]) for o in outcomes},
                meeting=form.meetings.get(data["meeting"]),
                repeat_assessment=form.assessments.get(data["repeat_assessment"]),
                child_views=data["child_views"],
                parent_views=data["parent_views"],
                abuse_category=data["abuse_category"],
            )
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Review recorded: {review.get_decision_display().lower()}.")
            return redirect("plans:detail", public_id=child.public_id, plan_id=plan.public_id)
    # Latest grades of each outcome's need in every candidate repeat assessment, to compare with the baseline.
    latest = {}
    for assessment in assessments[:3]:
        rows = assessment_grade_rows(assessment, [c.pk for c in children])
        latest[assessment] = {
            o.pk: need_grade(rows, child_id=o.need_child_id, domain_key=o.need_domain_key, item_key=o.need_item_key)
            for o in outcomes
            if o.need_domain_key
        }
    rows = [
        (
            number,
            outcome,
            form[p + "status"],
            form[p + "evidence"],
            [(a, grades.get(outcome.pk)) for a, grades in latest.items()],
        )
        for number, outcome, p in form.progress_rows
    ]
    _record_each(request, children, f"Plan {plan.public_id}: review")
    return render(
        request,
        "plans/review_form.html",
        {"child": child, "plan": plan, "form": form, "rows": rows, "latest_assessments": list(latest)},
    )


def voice_create(request: HttpRequest, public_id, plan_id) -> HttpResponse:
    child, plan = _plan_of_child(request, public_id, plan_id)
    # Only children this practitioner works with: never a brother or sister they cannot see.
    children = _may_act_for(request, Act.VOICE_ADD, _visible_children(request, plan)[0])
    authorise(user=request.user, act=Act.VOICE_ADD, children=children or [child])
    form = VoiceForm(
        request.POST if request.method == "POST" else None,
        children=children,
        initial={"child": str(child.public_id), "recorded_on": timezone.localdate().isoformat()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        voice_record_add(
            plan=plan,
            child=form.children[data["child"]],
            recorded_by=request.user,
            recorded_on=data["recorded_on"],
            words=data["words"],
            method_key=data["method_key"],
            impact_on_plan=data["impact_on_plan"],
            is_observation=data["method_key"] == "observation",
        )
        messages.success(request, "The child's views are recorded.")
        return redirect("plans:detail", public_id=child.public_id, plan_id=plan.public_id)
    _record_each(request, children or [child], f"Plan {plan.public_id}: the child's voice")
    return render(request, "plans/voice_form.html", {"child": child, "plan": plan, "form": form})
