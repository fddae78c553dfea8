from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessEvent
from assessments.definitions import DefinitionError
from cases.models import Episode
from conftest import involve, make_child, sign_in
from frontdoor.models import Consent, Decision, Outcome, SupportRequest, Urgency
from frontdoor.selectors import histories, months_before, re_referrals
from frontdoor.services import support_request_decide, support_request_submit
from frontdoor.timescales import add_working_days, timescales_from_dict
from people.models import Child, Household

from .support import front_door, submit

RATIONALE = "Persistent hunger and poor hygiene; parents willing to engage with a family worker."


def _decide(request, fd, outcome=Outcome.EARLY_HELP, **extra):
    return support_request_decide(
        request=request, decided_by=fd.practitioner, outcome=outcome, rationale=RATIONALE, **extra
    )


def test_timescales_loader_lists_every_error():
    with pytest.raises(DefinitionError) as caught:
        timescales_from_dict({"version": 0, "decision_within_working_days": {"urgent": 0, "soon": 2}})
    errors = caught.value.errors
    assert "key: needed" in errors
    assert any(e.startswith("version") for e in errors)
    assert any("urgent" in e for e in errors)
    assert "decision_within_working_days.standard: missing" in errors
    assert "decision_within_working_days.soon: unknown urgency" in errors
    assert any(e.startswith("access_after_decision_days") for e in errors)
    assert any(e.startswith("re_referral_window_months") for e in errors)


def test_working_days_skip_the_weekend():
    friday = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert add_working_days(friday, 1) == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert add_working_days(friday, 3) == datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(datetime(2028, 2, 29).date(), 12) == datetime(2027, 2, 28).date()
    assert months_before(datetime(2026, 3, 31).date(), 1) == datetime(2026, 2, 28).date()


def test_consent_not_sought_needs_a_reason_and_siblings_must_share_the_household(world):
    front_door(world)
    with pytest.raises(ValidationError) as caught:
        support_request_submit(
            requester=world.dsl,
            child=world.child,
            siblings=[world.other_child],
            concerns="",
            consent=Consent.NOT_SOUGHT,
            tried="",
            urgency="whenever",
        )
    assert set(caught.value.message_dict) == {"concerns", "tried", "consent_note", "urgency", "siblings"}
    assert "place the child at risk" in caught.value.message_dict["consent_note"][0]


def test_without_a_front_door_a_request_is_refused(world):
    with pytest.raises(ValidationError, match="no front-door team"):
        support_request_submit(
            requester=world.dsl, child=world.child, concerns="x", consent="yes", tried="y", urgency="urgent"
        )


def test_front_door_sees_the_requests_children_and_no_others(world):
    fd = front_door(world)
    assert not Child.objects.visible_to(fd.practitioner).exists()
    submit(world, siblings=[world.sibling])
    assert set(Child.objects.visible_to(fd.practitioner)) == {world.child, world.sibling}
    assert set(Child.objects.visible_to(fd.manager)) == {world.child, world.sibling}


def test_request_names_only_children_the_reader_may_see(world, signed_in):
    request = submit(world, requester=world.police, siblings=[world.sibling])  # police: household
    # The school sees Ruby but not Alfie, so it cannot open a request that names Alfie.
    assert signed_in(world.dsl).get(reverse("frontdoor:detail", args=[request.pk])).status_code == 404


def test_due_by_follows_the_urgency_and_overdue_is_tagged(world, signed_in):
    fd = front_door(world)
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    urgent = submit(world, urgency=Urgency.URGENT, now=monday)
    standard = submit(world, now=monday)
    assert urgent.due_by == monday + timedelta(days=1)
    assert standard.due_by == monday + timedelta(days=3)
    assert (urgent.timescales_key, urgent.timescales_version) == ("front-door", 1)
    page = signed_in(fd.practitioner).get(reverse("frontdoor:queue")).content.decode()
    assert page.count("Overdue") == 2
    assert urgent.reference in page and "Urgent" in page


def test_queue_is_for_the_front_door_only(world, signed_in):
    request = submit(world)
    fd = front_door(world)
    assert request.reference in signed_in(fd.manager).get(reverse("frontdoor:queue")).content.decode()
    for user in (world.sw, world.tm, world.dsl):
        assert signed_in(user).get(reverse("frontdoor:queue")).status_code == 404


def test_early_help_decision_opens_an_episode_ends_access_and(world):
    fd = front_door(world)
    received = timezone.now() - timedelta(days=12)
    request = submit(world, child=world.sibling, requester=world.hv, now=received)
    with pytest.raises(PermissionDenied):
        _decide(request, type(fd)(fd.team, fd.manager, world.sw))
    decided_at = timezone.now() - timedelta(days=10)
    decision = _decide(request, fd, now=decided_at)
    episode = Episode.objects.get(child=world.sibling, ended_on__isnull=True)
    assert episode.level == "early_help" and "RFS-" in episode.summary
    request.refresh_from_db()
    assert request.decided_at == decided_at and decision.decided_by == fd.practitioner
    # The hand-over period (7 days) has passed, so the front door no longer sees the child.
    assert not Child.objects.visible_to(fd.practitioner).filter(pk=world.sibling.pk).exists()


def test_the_requester_is_emailed_the_outcome_without_the_childs_name(world, django_capture_on_commit_callbacks):
    fd = front_door(world)
    world.dsl.email = "dsl@example.org"
    world.dsl.save()
    request = submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(request, fd)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dsl@example.org"]
    assert "Early help" in message.subject and request.reference in message.subject
    assert "Ruby" not in message.body and "Ruby" not in message.subject


def test_front_door_never_steps_a_child_down(world):
    fd = front_door(world)
    _decide(submit(world), fd)  # Ruby is on a child protection plan
    assert list(Episode.objects.filter(child=world.child).values_list("level", flat=True)) == ["cp"]


def test_assessment_opens_child_in_need_with_the_referral_date_and_nfa_changes_nothing(world):
    fd = front_door(world)
    received = timezone.now() - timedelta(days=2)
    _decide(submit(world, child=world.sibling, now=received), fd, outcome=Outcome.ASSESSMENT)
    episode = Episode.objects.get(child=world.sibling)
    assert episode.level == "cin" and episode.referral_date == timezone.localtime(received).date()
    _decide(submit(world, child=world.other_child, requester=world.eh), fd, outcome=Outcome.NO_FURTHER_ACTION)
    assert not Episode.objects.filter(child=world.other_child).exists()


def test_a_decision_is_final_and_a_correction_supersedes_it(world):
    fd = front_door(world)
    request = submit(world, child=world.sibling)
    first = _decide(request, fd, outcome=Outcome.UNIVERSAL)
    with pytest.raises(ValidationError, match="already been decided"):
        _decide(request, fd)
    with pytest.raises(ValueError):
        first.rationale = "changed"
        first.save()
    second = _decide(request, fd, outcome=Outcome.ASSESSMENT, supersedes=first)
    with pytest.raises(ValidationError, match="Someone else"):
        _decide(request, fd, supersedes=first)
    request.refresh_from_db()
    assert request.decided_at == first.decided_at
    assert list(Decision.objects.filter(request=request)) == [first, second]
    assert Episode.objects.get(child=world.sibling).level == "cin"


def _twelve_months_before(moment: datetime) -> datetime:
    """The same time on the same day a year earlier, by the window's own calendar rule (29 February
    goes back to 28 February), so these tests hold on a leap day too."""
    day = months_before(moment.date(), 12)
    return moment.replace(year=day.year, month=day.month, day=day.day)


def test_re_referral_counts_a_previous_referral_at_exactly_twelve_months(world):
    fd = front_door(world)
    child = world.sibling
    now = timezone.now().replace(hour=12)
    first = submit(world, child=child, now=_twelve_months_before(now))
    Decision.objects.create(
        request=first,
        outcome=Outcome.ASSESSMENT,
        rationale=RATIONALE,
        decided_by=fd.practitioner,
        decided_at=first.received_at,
    )
    later = submit(world, child=child, now=now)
    Decision.objects.create(
        request=later, outcome=Outcome.SECTION_47, rationale=RATIONALE, decided_by=fd.practitioner, decided_at=now
    )
    found = dict(re_referrals(since=now.date() - timedelta(days=1), until=now.date()))
    assert found == {later: True}
    assert histories([later])[later.pk].previous_requests == (first,)


def test_a_referral_a_day_over_twelve_months_is_not_a_re_referral(world):
    fd = front_door(world)
    household = Household.objects.create(address_line="3 Lock Street")
    child = make_child(household, "Mia")
    involve(world.dsl, child=child)
    now = timezone.now().replace(hour=12)
    first = submit(world, child=child, now=_twelve_months_before(now) - timedelta(days=1))
    Decision.objects.create(
        request=first,
        outcome=Outcome.ASSESSMENT,
        rationale=RATIONALE,
        decided_by=fd.practitioner,
        decided_at=first.received_at,
    )
    later = submit(world, child=child, now=now)
    Decision.objects.create(
        request=later, outcome=Outcome.ASSESSMENT, rationale=RATIONALE, decided_by=fd.practitioner, decided_at=now
    )
    assert dict(re_referrals(since=now.date(), until=now.date())) == {later: False}
    assert histories([later])[later.pk].previous_requests == ()


def test_pages_walk_a_request_through_the_front_door(world, client):
    fd = front_door(world)
    sign_in(client, world.dsl)
    new_url = reverse("frontdoor:new", args=[world.child.public_id])
    response = client.post(new_url, {"consent": "not_sought", "urgency": "standard"})
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert "Describe your concerns" in text and "place the child at risk" in text
    response = client.post(
        new_url,
        {
            "concerns": "Ruby is hungry every morning.",
            "consent": "not_sought",
            "consent_note": "Asking would place Ruby at risk.",
            "tried": "Breakfast club.",
            "urgency": "urgent",
        },
    )
    assert response.status_code == 302
    request_url = response["Location"]
    sign_in(client, fd.practitioner)
    assert "Ruby Ashworth" in client.get(reverse("frontdoor:queue")).content.decode()
    bad = client.post(request_url, {"outcome": "early_help", "rationale": "short"})
    assert "at least 20 characters" in bad.content.decode()
    assert client.post(request_url, {"outcome": "early_help", "rationale": RATIONALE}).status_code == 302
    sign_in(client, world.dsl)
    mine = client.get(reverse("frontdoor:mine")).content.decode()
    assert "Early help" in mine and "Ruby Ashworth" in mine
    # A practitioner who is not the front door cannot decide by posting to the page.
    before = Decision.objects.count()
    client.post(request_url, {"outcome": "nfa", "rationale": RATIONALE})
    assert Decision.objects.count() == before


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_queue_and_detail_run_a_fixed_number_of_queries(world, client):
    fd = front_door(world)
    sign_in(client, fd.practitioner)
    first = submit(world)
    queue_url = reverse("frontdoor:queue") + "?status=all"
    detail_url = reverse("frontdoor:detail", args=[first.pk])
    small = (_queries(client, queue_url), _queries(client, detail_url))
    for index in range(8):
        request = submit(world, siblings=[world.sibling] if index % 2 else ())
        if index % 3:
            _decide(request, fd)
    _decide(first, fd)
    large = (_queries(client, queue_url), _queries(client, detail_url))
    assert small == large
    assert AccessEvent.objects.filter(user=fd.practitioner).count() == 4


def test_request_and_decision_are_written_to_each_childs_chronology(world):
    from chronology.models import ChronologyEntry

    fd = front_door(world)
    monday = timezone.now().replace(year=2026, month=11, day=16, hour=9)
    request = submit(world, siblings=[world.sibling], requester=world.police, now=monday)
    _decide(request, fd, now=monday + timedelta(days=1))
    entries = ChronologyEntry.objects.filter(source="system", source_key__startswith="frontdoor:")
    assert sorted(entries.values_list("event_type", "child_id")) == sorted(
        [
            ("front_door_decision", world.child.pk),
            ("front_door_decision", world.sibling.pk),
            ("request_for_support", world.child.pk),
            ("request_for_support", world.sibling.pk),
        ]
    )
    decision = entries.filter(event_type="front_door_decision").first()
    assert "Early help" in decision.description and "1 working day after receipt, within" in decision.description
    assert "hungry" not in " ".join(entries.values_list("description", flat=True))


def test_mine_runs_a_fixed_number_of_queries(world, client):
    sign_in(client, world.dsl)
    submit(world)
    small = _queries(client, reverse("frontdoor:mine"))
    for _ in range(6):
        submit(world, siblings=[world.sibling])
    assert _queries(client, reverse("frontdoor:mine")) == small


def test_the_form_offers_only_brothers_and_sisters_the_requester_can_see(world, client):
    front_door(world)
    sign_in(client, world.dsl)  # the school sees Ruby only
    url = reverse("frontdoor:new", args=[world.child.public_id])
    assert "Alfie" not in client.get(url).content.decode()
    sign_in(client, world.police)  # the police are involved with the household
    assert "Alfie Ashworth" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "siblings": [str(world.sibling.public_id)],
            "concerns": "Both children left alone overnight.",
            "consent": "no",
            "consent_note": "Mother refused; the concern is serious enough to share without consent.",
            "tried": "Advice given at the scene.",
            "urgency": "urgent",
        },
    )
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert set(request.children.all()) == {world.child, world.sibling}
    assert request.source_agency == world.police.agency and request.consent == Consent.NO
