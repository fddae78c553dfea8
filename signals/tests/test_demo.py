from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from demo.services import partnership_seed
from frontdoor.selectors import histories, is_overdue, queue_for_user
from signals.selectors import signals_for_caseload

AS_OF = date(2026, 11, 23)


@pytest.fixture
def on_the_demo_day():
    """The demo is a snapshot of one day: involvements end and requests close relative to it, so the
    personas are read on that day, whatever the real date."""
    with time_machine.travel(datetime.combine(AS_OF, time(10), tzinfo=ZoneInfo("Europe/London")), tick=False):
        yield


@pytest.mark.django_db
def test_demo_gives_the_front_door_a_queue_and_the_personas_live_signals(on_the_demo_day):
    partnership_seed(children=600, seed=4, as_of=AS_OF)
    front_door = User.objects.get(username="frontdoor.demo")
    waiting = list(queue_for_user(user=front_door, status="open"))
    assert len(waiting) >= 4
    assert any(is_overdue(r, r.received_at.replace(year=2030)) for r in waiting)
    decided = list(queue_for_user(user=front_door, status="decided"))
    assert decided and any(h.re_referral for h in histories(decided).values())
    for username in ("sw.demo", "tm.demo"):
        live = signals_for_caseload(user=User.objects.get(username=username))
        assert live.values("child").distinct().count() >= 3, username
