"""Pages for the full assessment of a sibling group: start, grade (several contributors), lived
experience, factors, submit, manager sign-off or return, addenda, and the decision on the level
of need against the rules' recommendation. Thin: reads from selectors, writes through services."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from access.authority import RULES, Act, NotAuthorised, allowed_acts, authorise, refusal, relations_by_child
from access.models import AccessAction
from access.services import access_event_record
from people.models import Child
from people.selectors import child_for_user

from . import decision_services, services
from .assessment_forms import (
    AddendumForm,
    AgreementForm,
    DecisionForm,
    DomainGradesForm,
    FactorsForm,
    LivedExperienceForm,
    RevisionForm,
    SignOffForm,
    StartForm,
)
from .decision_display import decided_level, recommendation_as_decided, recommendation_today
from .models import AssessedChild, Assessment, AssessmentStatus, DecisionStatus, LevelDecision
from .selectors import (
    assessment_for_user,
    definition_for,
    grades_by_child,
    recommendation_for,
    visible_assessed_children,
)


def _record_view(request: HttpRequest, assessment: Assessment, children: list[AssessedChild], what: str) -> None:
    """One access event per child whose assessment content is on the page, so each child's access
    log shows who read it."""
    for entry in children:
        access_event_record(
            user=request.user,
            action=AccessAction.VIEW,
            request=request,
            child=entry.child,
            detail=f"{what}: assessment {assessment.public_id}",
        )


def _refuse_analyst(request: HttpRequest) -> None:
    if request.user.is_analyst:
        raise Http404("Partnership analysts do not see children's records")


def assessment_start(request: HttpRequest, public_id) -> HttpResponse:
    _refuse_analyst(request)
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.ASSESSMENT_START, children=[child])
    visible = list(
        Child.objects.visible_to(request.user).filter(household_id=child.household_id).order_by("date_of_birth", "id")
    )
    # Only the brothers and sisters this practitioner may assess are offered.
    relations = relations_by_child(request.user, visible)
    starters = RULES[Act.ASSESSMENT_START].relations
    candidates = [c for c in visible if relations[c.pk] & starters]
    form = StartForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                lead=request.user,
                household=child.household,
                children=form.chosen(),
                tool_version=services.tool_version_current(),
                on=timezone.localdate(),
            )
        except services.AssessmentError as error:
            form.add_error("children", str(error))
        else:
            return redirect("assessments:detail", public_id=assessment.public_id)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Start assessment"
    )
    return render(request, "assessments/assessment_start.html", {"child": child, "form": form})


def _domain_progress(definition, children: list[AssessedChild], grades: dict) -> list[dict]:
    rows = []
    for domain in definition.domains:
        needed = done = 0
        worst = 0
        for item in domain.items:
            targets = (
                [None]
                if domain.scope == "household" and any(c.age_band in item.age_bands for c in children)
                else [c.child_id for c in children if c.age_band in item.age_bands]
                if domain.scope == "child"
                else []
            )
            for target in targets:
                needed += 1
                row = grades.get(target, {}).get(item.key)
                if row:
                    done += 1
                    worst = max(worst, row.grade)
        rows.append({"domain": domain, "needed": needed, "done": done, "worst": worst or None})
    return rows


def assessment_detail(request: HttpRequest, public_id) -> HttpResponse:
    assessment = assessment_for_user(user=request.user, public_id=public_id)
    children = visible_assessed_children(assessment=assessment, user=request.user)
    definition = definition_for(assessment)
    grades = grades_by_child(assessment, children)
    decisions = {
        d.child_id: d
        for d in LevelDecision.objects.filter(
            assessment=assessment, child_id__in=[c.child_id for c in children]
        ).select_related("decided_by", "manager")
    }
    _record_view(request, assessment, children, "Assessment")
    user = request.user
    acts = _acts_for_any(user, children)
    context = {
        "assessment": assessment,
        "definition": definition,
        "children": children,
        "hidden_children": assessment.children.count() - len(children),
        "progress": _domain_progress(definition, children, grades),
        # A colleague's grades for a child this viewer cannot see are not theirs to read.
        "contributions": list(
            assessment.contributions.filter(
                Q(child__isnull=True) | Q(child_id__in=[c.child_id for c in children])
            ).select_related("author", "agency", "child")[:20]
        ),
        "factors": {f.factor_key: f for f in assessment.factors.all()},
        "addenda": list(assessment.addenda.select_related("author")),
        "missing": services.missing_grades(assessment) if assessment.is_editable else [],
        "decisions": [(c, decisions.get(c.child_id)) for c in children],
        "is_lead": user.pk == assessment.lead_id,
        "is_manager": assessment.lead.team is not None and assessment.lead.team.manager_id == user.pk,
        "can_contribute": assessment.is_editable and Act.ASSESSMENT_CONTRIBUTE in acts,
        "can_add_addendum": Act.ASSESSMENT_ADDENDUM in acts,
        "can_decide": Act.LEVEL_DECIDE in acts,
        "revision_form": RevisionForm(initial={"revision": assessment.revision}),
        "addendum_form": AddendumForm(),
    }
    return render(request, "assessments/assessment_detail.html", context)


def _acts_for_any(user, children: list[AssessedChild]) -> frozenset[Act]:
    """What the user may do for at least one of the assessment's children they can see."""
    acts: set[Act] = set()
    for entry in children:
        acts |= allowed_acts(user, entry.child)
    return frozenset(acts)


def _draft_only(view):
    """For the pages that change a draft: the view gets the assessment the user can see, and a
    submitted one sends them back to it with a message (corrections are addenda)."""

    @wraps(view)
    def wrapper(request: HttpRequest, public_id, **kwargs) -> HttpResponse:
        _refuse_analyst(request)
        assessment = assessment_for_user(user=request.user, public_id=public_id)
        if not assessment.is_editable:
            messages.error(request, "This assessment has been submitted and can no longer be changed. Add an addendum.")
            return redirect("assessments:detail", public_id=assessment.public_id)
        children = [entry.child for entry in visible_assessed_children(assessment=assessment, user=request.user)]
        authorise(user=request.user, act=Act.ASSESSMENT_CONTRIBUTE, children=children, every=False)
        return view(request, assessment, **kwargs)

    return wrapper


@_draft_only
def assessment_domain(request: HttpRequest, assessment: Assessment, domain_key: str) -> HttpResponse:
    children = visible_assessed_children(assessment=assessment, user=request.user)
    definition = definition_for(assessment)
    domain = next((d for d in definition.domains if d.key == domain_key), None)
    if domain is None:
        raise Http404("No such domain in this tool")
    form = DomainGradesForm(
        request.POST if request.method == "POST" else None,
        definition=definition,
        domain=domain,
        children=children,
        initial=_domain_initial(assessment, children),
    )
    if request.method == "POST" and form.is_valid():
        by_id = {c.child_id: c.child for c in children}
        changes = [
            partial(
                services.assessment_grade_set,
                assessment=assessment,
                user=request.user,
                item_key=item_key,
                child=by_id.get(child_id),
                grade=grade,
                evidence=evidence,
                strengths=strengths,
            )
            for item_key, child_id, grade, evidence, strengths in form.changes()
        ]
        if _saved(request, form, changes, f"{domain.name}: saved."):
            return redirect("assessments:detail", public_id=assessment.public_id)
    _record_view(request, assessment, children, f"Grading {domain.name}")
    context = {"assessment": assessment, "domain": domain, "form": form, "sections": form.bound_sections()}
    return render(request, "assessments/assessment_domain.html", context)


def _saved(request: HttpRequest, form, changes: list[Callable[..., object]], done: str) -> bool:
    """Applies the changes made on one page together, or none of them. The page was read at one
    revision and each change advances it by one, so a colleague's change in between is caught."""
    try:
        with transaction.atomic():
            for step, change in enumerate(changes):
                change(expected_revision=form.cleaned_data["revision"] + step)
    except services.AssessmentError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, done)
    return True


def _domain_initial(assessment: Assessment, children: list[AssessedChild]) -> dict:
    initial: dict = {"revision": assessment.revision}
    for child_id, rows in grades_by_child(assessment, children).items():
        target = "household" if child_id is None else str(child_id)
        for item_key, row in rows.items():
            initial[f"grade__{item_key}__{target}"] = row.grade
            initial[f"evidence__{item_key}__{target}"] = row.evidence
            initial[f"strengths__{item_key}__{target}"] = row.strengths
    return initial


@_draft_only
def assessment_lived_experience(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    children = visible_assessed_children(assessment=assessment, user=request.user)
    form = LivedExperienceForm(
        request.POST if request.method == "POST" else None,
        children=children,
        initial={"revision": assessment.revision},
    )
    if request.method == "POST" and form.is_valid():
        texts = {entry.child_id: form.cleaned_data[f"child_{entry.child_id}"] for entry in children}
        changes = [
            partial(
                services.assessment_lived_experience_set,
                assessment=assessment,
                user=request.user,
                child=entry.child,
                text=texts[entry.child_id],
            )
            for entry in children
            if texts[entry.child_id].strip() != entry.lived_experience.strip()
        ]
        if _saved(request, form, changes, "Lived experience: saved."):
            return redirect("assessments:detail", public_id=assessment.public_id)
    _record_view(request, assessment, children, "Lived experience")
    return render(request, "assessments/assessment_lived_experience.html", {"assessment": assessment, "form": form})


@_draft_only
def assessment_factors(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    children = visible_assessed_children(assessment=assessment, user=request.user)
    definition = definition_for(assessment)
    current = {f.factor_key: f for f in assessment.factors.all()}
    form = FactorsForm(
        request.POST if request.method == "POST" else None,
        definition=definition,
        current=current,
        initial={"revision": assessment.revision},
    )
    if request.method == "POST" and form.is_valid():
        changes = []
        for factor in definition.factors:
            concern = form.cleaned_data.get(f"concern__{factor.key}")
            notes = form.cleaned_data.get(f"notes__{factor.key}", "")
            before = current.get(factor.key)
            if not concern or (before and (before.concern, before.notes) == (concern, notes.strip())):
                continue
            changes.append(
                partial(
                    services.assessment_factor_set,
                    assessment=assessment,
                    user=request.user,
                    factor_key=factor.key,
                    concern=concern,
                    notes=notes,
                )
            )
        if _saved(request, form, changes, "Parenting and family factors: saved."):
            return redirect("assessments:detail", public_id=assessment.public_id)
    _record_view(request, assessment, children, "Family factors")
    return render(request, "assessments/assessment_factors.html", {"assessment": assessment, "form": form})


@_draft_only
def assessment_submit(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    form = RevisionForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return redirect("assessments:detail", public_id=assessment.public_id)
    try:
        services.assessment_submit(
            assessment=assessment, user=request.user, expected_revision=form.cleaned_data["revision"]
        )
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Submitted to your manager for sign-off. The assessment is now read-only.")
    return redirect("assessments:detail", public_id=assessment.public_id)


def assessment_sign_off(request: HttpRequest, public_id) -> HttpResponse:
    assessment = assessment_for_user(user=request.user, public_id=public_id)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise Http404("Nothing to sign off here")
    team = assessment.lead.team
    if team is None or team.manager_id != request.user.pk:
        raise NotAuthorised(refusal(Act.ASSESSMENT_SIGN_OFF))
    children = visible_assessed_children(assessment=assessment, user=request.user)
    form = SignOffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sign_off = form.cleaned_data["outcome"] == "sign_off"
        services.assessment_decide(
            assessment=assessment, manager=request.user, sign_off=sign_off, comment=form.cleaned_data["comment"]
        )
        messages.success(request, "Signed off." if sign_off else "Returned to the practitioner with your comments.")
        return redirect("assessments:detail", public_id=assessment.public_id)
    _record_view(request, assessment, children, "Sign-off")
    return render(request, "assessments/assessment_sign_off.html", {"assessment": assessment, "form": form})


def assessment_addendum(request: HttpRequest, public_id) -> HttpResponse:
    _refuse_analyst(request)
    assessment = assessment_for_user(user=request.user, public_id=public_id)
    form = AddendumForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_addendum_add(assessment=assessment, author=request.user, text=form.cleaned_data["text"])
        except services.AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Addendum added.")
    elif request.method == "POST":
        messages.error(request, "Write the correction or addition.")
    return redirect("assessments:detail", public_id=assessment.public_id)


def _assessed_child(request: HttpRequest, public_id, child_id) -> tuple[Assessment, AssessedChild]:
    assessment = assessment_for_user(user=request.user, public_id=public_id)
    children = visible_assessed_children(assessment=assessment, user=request.user)
    entry = next((c for c in children if str(c.child.public_id) == str(child_id)), None)
    if entry is None:
        raise Http404("No such child in this assessment")
    return assessment, entry


def level_decision(request: HttpRequest, public_id, child_id) -> HttpResponse:
    _refuse_analyst(request)
    assessment, entry = _assessed_child(request, public_id, child_id)
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED_OFF):
        raise Http404("The decision comes after the assessment is submitted")
    recommendation, continuum = recommendation_for(child=entry.child, assessment=assessment)
    existing = (
        LevelDecision.objects.filter(assessment=assessment, child=entry.child)
        .select_related("decided_by", "decided_by__team", "manager")
        .first()
    )
    form = DecisionForm(
        request.POST if request.method == "POST" and existing is None else None,
        continuum=continuum,
        recommended=recommendation.level,
    )
    agreement = None
    user = request.user
    acts = allowed_acts(user, entry.child)
    if existing is None and Act.LEVEL_DECIDE not in acts:
        form = None
    awaiting = existing is not None and existing.status == DecisionStatus.AWAITING_AGREEMENT
    if awaiting and Act.LEVEL_AGREE in acts and existing.decided_by_id != user.pk:
        agreement = AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        target = form if existing is None else agreement
        if target is None:
            raise NotAuthorised(refusal(Act.LEVEL_DECIDE if existing is None else Act.LEVEL_AGREE))
        if target.is_valid():
            try:
                if existing is None:
                    decision_services.level_decision_record(
                        assessment=assessment,
                        child=entry.child,
                        user=user,
                        decided_level=form.cleaned_data["level"],
                        pathway=form.cleaned_data["pathway"],
                        reason=form.cleaned_data.get("reason", ""),
                    )
                else:
                    decision_services.level_decision_agree(
                        decision=existing,
                        manager=user,
                        agree=agreement.cleaned_data["agree"] == "yes",
                        comment=agreement.cleaned_data["comment"],
                    )
            except services.AssessmentError as error:
                target.add_error(None, str(error))
            else:
                messages.success(request, "Decision recorded.")
                return redirect("assessments:decision", public_id=assessment.public_id, child_id=entry.child.public_id)
    access_event_record(
        user=user, action=AccessAction.VIEW, request=request, child=entry.child, detail="Level of need decision"
    )
    domain_names = {d.key: d.name for d in definition_for(assessment).domains}
    fresh = recommendation_today(recommendation, continuum, domain_names)
    # Once decided, the page shows the recommendation the decision was made against, as stored; today's
    # appears beside it only when the advice has changed since.
    shown = recommendation_as_decided(existing, domain_names) if existing else fresh
    context = {
        "assessment": assessment,
        "entry": entry,
        "child": entry.child,
        "shown": shown,
        "if_decided_today": fresh if existing and not shown.same_advice_as(fresh) else None,
        "decision": existing,
        "form": form if existing is None else None,
        "may_decide": Act.LEVEL_DECIDE in acts,
        "agreement": agreement,
        "decided_level": decided_level(existing) if existing else None,
    }
    return render(request, "assessments/level_decision.html", context)
