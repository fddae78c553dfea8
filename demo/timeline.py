"""A household's synthetic history of episodes, shaped to follow the published national figures.

The transition probabilities and durations below were tuned so that, over a few thousand children,
about half of child protection plans are under neglect, about a quarter of plans are a second or
subsequent plan, re-referrals within 12 months are near 22% of referrals, and roughly a fifth of
open plans have lasted more than a year (DfE Characteristics of children in need, tables C1, D3, D5).
`seed_demo --report` prints the measured shape of each generated partnership.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

CP_CATEGORIES = (("NEG", 0.50), ("EMO", 0.37), ("PHY", 0.07), ("SAB", 0.04), ("MUL", 0.02))
HISTORY_YEARS = 6


@dataclass(frozen=True)
class EpisodeSpan:
    level: str
    started_on: date
    ended_on: date | None
    referral_date: date | None
    abuse_category: str


def weighted_choice(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random() * sum(weight for _, weight in options)
    for value, weight in options:
        roll -= weight
        if roll <= 0:
            return value
    return options[-1][0]


def _days(rng: random.Random, median_days: float, spread: float = 0.6, minimum: int = 14) -> int:
    return max(minimum, int(rng.lognormvariate(math.log(median_days), spread)))


def household_timeline(rng: random.Random, as_of: date) -> list[EpisodeSpan]:
    """Episodes for a household from its first contact (up to six years ago) to `as_of`."""
    spans: list[EpisodeSpan] = []
    day = as_of - timedelta(days=rng.randint(20, 365 * HISTORY_YEARS))
    state = "early_help" if rng.random() < 0.45 else "cin_referral"
    while day < as_of:
        if state == "closed":
            roll = rng.random()
            if roll < 0.62:
                day += timedelta(days=rng.randint(20, 150))  # back within the year: a re-referral
            elif roll < 0.74:
                day += timedelta(days=rng.randint(380, 1100))
            else:
                break
            state = "cin_referral" if rng.random() < 0.72 else "early_help"
            continue
        level, referral = _level_for(state, day)
        duration = _duration(rng, level)
        end = day + timedelta(days=duration)
        category = weighted_choice(rng, CP_CATEGORIES) if level == "cp" else ""
        spans.append(EpisodeSpan(level, day, end if end < as_of else None, referral, category))
        if end >= as_of:
            break
        day = end + timedelta(days=1)
        state = _next_state(rng, level)
    return spans


def _level_for(state: str, day: date) -> tuple[str, date | None]:
    if state == "cin_referral":
        return "cin", day
    if state == "cin_step_down":
        return "cin", None
    return state, None


def _duration(rng: random.Random, level: str) -> int:
    if level == "early_help":
        return _days(rng, 200)
    if level == "cin":
        # Many referrals close soon after the assessment; the rest become child in need plans.
        return _days(rng, 45, 0.4) if rng.random() < 0.4 else _days(rng, 210, 0.6)
    if level == "cp":
        return _days(rng, 260, 0.55, minimum=60)
    return _days(rng, 700, 0.5, minimum=120)  # looked after


def _next_state(rng: random.Random, level: str) -> str:
    roll = rng.random()
    if level == "early_help":
        return "cin_referral" if roll < 0.30 else "closed"
    if level == "cin":
        if roll < 0.33:
            return "cp"
        return "early_help" if roll < 0.50 else "closed"
    if level == "cp":
        if roll < 0.07:
            return "lac"
        return "cin_step_down" if roll < 0.75 else "closed"
    return "closed"
