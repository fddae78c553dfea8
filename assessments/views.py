from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.authority import Act, authorise
from access.models import AccessAction
from access.services import access_event_record
from people.selectors import child_for_user

from .forms import ScreeningForm
from .models import ScreeningRecord
from .screening import default_screening
from .services import screening_record


def screening_new(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.SCREENING_RECORD, children=[child])
    screening = default_screening()
    form = ScreeningForm(request.POST if request.method == "POST" else None, screening=screening)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = screening_record(
            child=child,
            practitioner=request.user,
            indicators=set(data["indicators"]),
            duration=data["duration"],
            frequency=data["frequency"],
            child_says=data["child_says"],
        )
        return redirect("children:screening_detail", public_id=child.public_id, pk=record.pk)
    access_event_record(user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Screening")
    return render(request, "assessments/screening_form.html", {"child": child, "form": form})


def screening_detail(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    record = get_object_or_404(ScreeningRecord.objects.select_related("practitioner", "agency"), pk=pk, child=child)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Screening result"
    )
    labels = {i.key: i.label for i in default_screening().indicators}
    noticed = [labels.get(key, key) for key in record.indicators]
    return render(request, "assessments/screening_detail.html", {"child": child, "record": record, "noticed": noticed})
