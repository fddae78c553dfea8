"""Writes to a child's episode history. Every decision that changes the level of response (a
neglect assessment decision, a front-door decision, a plan review) goes through here, so the
history stays one consistent story: at most one open episode at a time, closed the day before the
next one opens, never edited after the fact except to end it."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from accounts.models import User
from people.models import Child

from .models import Episode, Level


class EpisodeError(ValueError):
    pass


@transaction.atomic
def episode_level_change(
    *,
    child: Child,
    level: str,
    on: date,
    recorded_by: User | None,
    summary: str = "",
    abuse_category: str = "",
    referral_date: date | None = None,
) -> Episode:
    """Moves the child to `level` from `on`. An open episode at the same level is kept (and returned);
    an open episode at another level ends the day before (or on `on` when it started that day)."""
    if level not in Level.values:
        raise EpisodeError(f"'{level}' is not a level of response.")
    if level == Level.CHILD_PROTECTION and not abuse_category:
        raise EpisodeError("A child protection plan needs a category of abuse.")
    open_episodes = list(Episode.objects.select_for_update().filter(child=child, ended_on__isnull=True))
    for episode in open_episodes:
        if episode.level == level:
            return episode
    for episode in open_episodes:
        if episode.started_on > on:
            raise EpisodeError(f"The open {episode.get_level_display().lower()} episode starts after {on:%-d %B %Y}.")
        episode.ended_on = max(episode.started_on, on - timedelta(days=1))
        episode.save(update_fields=["ended_on"])
    return Episode.objects.create(
        child=child,
        level=level,
        started_on=on,
        summary=summary[:300],
        abuse_category=abuse_category if level == Level.CHILD_PROTECTION else "",
        referral_date=referral_date if level == Level.CHILD_IN_NEED else None,
        recorded_by=recorded_by,
    )


@transaction.atomic
def episode_close(*, child: Child, on: date, recorded_by: User | None, summary: str = "") -> list[Episode]:
    """Ends every open episode on `on` (the case closes; the child returns to universal services)."""
    closed = list(Episode.objects.select_for_update().filter(child=child, ended_on__isnull=True))
    for episode in closed:
        if episode.started_on > on:
            raise EpisodeError(f"The open {episode.get_level_display().lower()} episode starts after {on:%-d %B %Y}.")
        episode.ended_on = on
        if summary and not episode.summary:
            episode.summary = summary[:300]
        episode.save(update_fields=["ended_on", "summary"])
    return closed
