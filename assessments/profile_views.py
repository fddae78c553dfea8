"""A child's neglect profile over time, and the prenatal checklist for an unborn child."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.authority import Act, authorise
from access.models import AccessAction
from access.services import access_event_record
from people.selectors import child_for_user

from .assessment_forms import PrenatalForm
from .decision_services import prenatal_checklist_record
from .models import AssessedChild, LevelDecision, PrenatalChecklist
from .prebirth import ANSWERS
from .selectors import CHART, change_word, chart_gridlines, child_grade_history, domain_chart
from .services import AssessmentError, tool_definition_of, tool_version_current


def neglect_profile(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    history = child_grade_history(child=child)
    latest = history[-1] if history else None
    previous = history[-2] if len(history) > 1 else None
    definition = tool_definition_of(latest.assessment.tool_version) if latest else None
    domains = []
    if latest and definition:
        for domain in definition.domains:
            items = []
            for item in domain.items:
                row = latest.items.get(item.key)
                if row is None:
                    continue
                before = previous.items.get(item.key) if previous else None
                items.append(
                    {
                        "item": item,
                        "row": row,
                        "previous": before.grade if before else None,
                        "change": change_word(before.grade if before else None, row.grade),
                    }
                )
            grade = latest.domains.get(domain.key)
            before = previous.domains.get(domain.key) if previous else None
            if items:
                domains.append(
                    {
                        "domain": domain,
                        "grade": grade,
                        "previous": before,
                        "change": change_word(before, grade),
                        "items": items,
                    }
                )
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Neglect profile"
    )
    context = {
        "child": child,
        "latest": latest,
        "previous": previous,
        "definition": definition,
        "domains": domains,
        "history": history,
        "series": domain_chart(definition=definition, history=history) if definition else [],
        "gridlines": chart_gridlines(definition) if definition else [],
        "chart": CHART,
        "table": [
            {"name": d.name, "grades": [h.domains.get(d.key) for h in history]}
            for d in (definition.domains if definition else [])
        ],
        "assessments": list(
            AssessedChild.objects.filter(child=child)
            .select_related("assessment", "assessment__lead", "assessment__tool_version")
            .order_by("-assessment__started_on", "-assessment_id")
        ),
        "decisions": list(
            LevelDecision.objects.filter(child=child)
            .select_related("decided_by", "assessment")
            .order_by("-decided_at")[:5]
        ),
        "lived_experience": (
            AssessedChild.objects.filter(assessment=latest.assessment, child=child)
            .values_list("lived_experience", flat=True)
            .first()
            if latest
            else ""
        ),
        "prenatal": list(PrenatalChecklist.objects.filter(child=child).select_related("practitioner")[:3]),
        "can_act": not request.user.is_analyst,
    }
    return render(request, "assessments/neglect_profile.html", context)


def prenatal_new(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.PRENATAL_RECORD, children=[child])
    if not child.is_unborn:
        raise Http404("The prenatal checklist is for an unborn child")
    definition = tool_definition_of(tool_version_current())
    form = PrenatalForm(request.POST if request.method == "POST" else None, definition=definition)
    if request.method == "POST" and form.is_valid():
        try:
            record = prenatal_checklist_record(
                child=child, practitioner=request.user, answers=form.answers(), notes=form.cleaned_data["notes"]
            )
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            return redirect("assessments:prenatal_detail", public_id=child.public_id, pk=record.pk)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Prenatal checklist"
    )
    return render(request, "assessments/prenatal_form.html", {"child": child, "form": form})


def prenatal_detail(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    record = get_object_or_404(
        PrenatalChecklist.objects.select_related("practitioner", "agency", "tool_version"), pk=pk, child=child
    )
    questions = {q.key: q.question for q in tool_definition_of(record.tool_version).prenatal_checklist}
    answers = [(questions.get(key, key), ANSWERS.get(value, value)) for key, value in record.answers.items()]
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Pre-birth recommendation"
    )
    return render(request, "assessments/prenatal_detail.html", {"child": child, "record": record, "answers": answers})
