"""Person search before registering a child, so the same child is not recorded twice.

The search looks across every child in Sightline, because the duplicate may be a child the searcher
has no relationship with. It never reveals such a child: the result says only that a child with
these details may already be known (and, for an NHS number, that the number is already recorded),
and steers the searcher to the front door. Matches the searcher may see link to their records.

Matching: the NHS number exactly; names fuzzily (trigram similarity on PostgreSQL, through GIN
indexes from migration people/0004, and on every database a phonetic key stored on the child);
date of birth (or expected date) and postcode as supporting details. The candidates are the union
of three index-driven parts (see candidate_branches), so the search reads only the rows its indexes
point to, however many children there are (docs/benchmarks.md: 250,000 on PostgreSQL). Two
queries, whatever the number of children: the candidates (bounded) and which of them the searcher
may see.
"""

from __future__ import annotations

import operator
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from functools import reduce
from typing import TYPE_CHECKING

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from .models import Child

if TYPE_CHECKING:
    from accounts.models import User

CANDIDATE_LIMIT = 50
SHOWN_LIMIT = 10

_SOUNDEX = {**dict.fromkeys("bfpv", "1"), **dict.fromkeys("cgjkqsxz", "2"), **dict.fromkeys("dt", "3")}
_SOUNDEX |= {"l": "4", "m": "5", "n": "5", "r": "6"}


def normalise_name(name: str) -> str:
    """Lower case, accents and everything but letters removed: "Zoë O'Neill-Smith" -> "zoeoneillsmith"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed.lower() if "a" <= c <= "z")


def phonetic_key(name: str) -> str:
    """American Soundex of the normalised name: names that sound alike ("Ashworth", "Ashwerth",
    "Rubi", "Ruby") share a key. Empty for a name with no letters."""
    letters = normalise_name(name)
    if not letters:
        return ""
    key, previous = letters[0].upper(), _SOUNDEX.get(letters[0], "")
    for char in letters[1:]:
        code = _SOUNDEX.get(char, "")
        if code and code != previous:
            key += code
        if char not in "hw":  # h and w do not separate two letters with the same code
            previous = code
    return (key + "000")[:4]


def normalise_postcode(postcode: str) -> str:
    """Upper case with one space before the inward code, as households store it: "wm11aa" -> "WM1 1AA"."""
    compact = "".join((postcode or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def normalise_nhs_number(value: str) -> str:
    return "".join((value or "").split())


@dataclass(frozen=True)
class Match:
    child: Child
    nhs_number_matches: bool
    why: tuple[str, ...]
    score: float


@dataclass
class SearchResult:
    """What the searcher may be told. `visible` holds only children they may see; hidden matches are
    two flags, never a name, a date or a count."""

    visible: list[Match] = field(default_factory=list)
    hidden_match: bool = False
    hidden_nhs_match: bool = False

    @property
    def any(self) -> bool:
        return bool(self.visible) or self.hidden_match


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, normalise_name(a), normalise_name(b)).ratio()


def _score(child: Child, *, given: str, family: str, on: date | None, postcode: str, nhs: str) -> Match:
    why: list[str] = []
    score = 0.0
    nhs_hit = bool(nhs) and child.nhs_number == nhs
    if nhs_hit:
        why.append("same NHS number")
        score += 10
    name = (_similar(given, child.given_name) + _similar(family, child.family_name)) / 2
    if name >= 0.999:
        why.append("same name")
    elif name >= 0.6 or (child.family_key == phonetic_key(family) and child.given_key == phonetic_key(given)):
        why.append("similar name")
    score += 3 * name
    if on is not None and on in (child.date_of_birth, child.expected_date_of_birth):
        why.append("same date of birth" if child.date_of_birth == on else "same expected date of birth")
        score += 3
    if postcode and normalise_postcode(child.household.postcode) == postcode:
        why.append("same postcode")
        score += 1
    return Match(child=child, nhs_number_matches=nhs_hit, why=tuple(why), score=score)


def _name_conditions(given_name: str, family_name: str) -> tuple[Q | None, Q | None]:
    """The family-name and given-name tests: the phonetic key (B-tree index) and, on PostgreSQL,
    trigram similarity (`%`, GIN trigram index). None for a name with nothing to match on."""
    family, given = phonetic_key(family_name), phonetic_key(given_name)
    same_family = Q(family_key=family) if family else None
    same_given = Q(given_key=given) if given else None
    if connection.vendor == "postgresql":
        if family_name.strip():
            trigram = Q(family_name__trigram_similar=family_name.strip())
            same_family = trigram if same_family is None else same_family | trigram
        if given_name.strip():
            trigram = Q(given_name__trigram_similar=given_name.strip())
            same_given = trigram if same_given is None else same_given | trigram
    return same_family, same_given


def candidate_branches(
    *, given_name: str, family_name: str, on: date | None = None, postcode: str = "", nhs_number: str = ""
) -> dict[str, QuerySet[Child]]:
    """The parts of the candidate search, each driven by its own index, as querysets of primary keys:

    - "nhs": the NHS number exactly (B-tree on nhs_number); not limited, so an exact match is never
      crowded out by fuzzy ones;
    - "name": family name similar (phonetic key B-tree, or GIN trigram) and given name similar,
      best-ranked first, at most CANDIDATE_LIMIT;
    - "date": born (or expected) on the date (B-tree on each date) with a similar name or the same
      postcode in support, at most CANDIDATE_LIMIT.

    A single OR across all of these (and the household's postcode) made PostgreSQL read the whole
    children table; split like this, each part reads only the rows its index points to.
    """
    same_family, same_given = _name_conditions(given_name, family_name)
    branches: dict[str, QuerySet[Child]] = {}
    children = Child.objects.order_by()
    if nhs_number:
        branches["nhs"] = children.filter(nhs_number=nhs_number).values("pk")
    if same_family is not None and same_given is not None:
        if connection.vendor == "postgresql":
            rank = TrigramSimilarity("family_name", family_name.strip()) + TrigramSimilarity(
                "given_name", given_name.strip()
            )
            ordering = [rank.desc(), "pk"]
        else:
            ordering = [_exact_name_rank(given_name, family_name), "pk"]
        branches["name"] = (
            children.filter(same_family & same_given).order_by(*ordering).values("pk")[:CANDIDATE_LIMIT]
        )
    if on is not None:
        supporting = [q for q in (same_family, same_given) if q is not None]
        if postcode:
            supporting.append(Q(household__postcode__iexact=postcode))
        if supporting:
            support = reduce(operator.or_, supporting)
            # Better-supported matches first: both name keys, one, then the postcode alone.
            keys = phonetic_key(family_name), phonetic_key(given_name)
            rank = Case(
                When(family_key=keys[0], given_key=keys[1], then=Value(0)),
                When(Q(family_key=keys[0]) | Q(given_key=keys[1]), then=Value(1)),
                default=Value(2),
            )
            branches["date"] = (
                children.filter(Q(date_of_birth=on) | Q(expected_date_of_birth=on))
                .filter(support)
                .order_by(rank, "pk")
                .values("pk")[:CANDIDATE_LIMIT]
            )
    return branches


def _exact_name_rank(given_name: str, family_name: str) -> Case:
    """Without trigram similarity: the same names first, then one of them the same."""
    same_family, same_given = Q(family_name__iexact=family_name.strip()), Q(given_name__iexact=given_name.strip())
    return Case(
        When(same_family & same_given, then=Value(0)),
        When(same_family | same_given, then=Value(1)),
        default=Value(2),
    )


def candidates(*, given_name: str, family_name: str, on: date | None = None, postcode: str = "", nhs_number: str = ""):
    """Every child, visible or not, who may be the one described: one query, index-driven, bounded
    (every NHS-number match, and at most CANDIDATE_LIMIT from each of the name and date parts)."""
    branches = list(
        candidate_branches(
            given_name=given_name, family_name=family_name, on=on, postcode=postcode, nhs_number=nhs_number
        ).values()
    )
    if not branches:
        return Child.objects.none()
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: `id IN (a UNION b UNION c)` is a semi-join on the primary key, each part
        # planned on its own index. An OR of `IN` subqueries would be a scan of every child.
        first, *rest = branches
        condition = Q(pk__in=first.union(*rest) if rest else first)
    else:
        # SQLite allows no LIMIT inside a UNION; an OR of rowid `IN` lists is its multi-index OR.
        condition = reduce(operator.or_, (Q(pk__in=branch) for branch in branches))
    return Child.objects.filter(condition).select_related("household").order_by()


def person_search(
    *,
    user: User,
    given_name: str,
    family_name: str,
    on: date | None = None,
    postcode: str = "",
    nhs_number: str = "",
    exclude: Child | None = None,
) -> SearchResult:
    """Possible duplicates of the child described, as much as `user` may be told about them."""
    postcode, nhs_number = normalise_postcode(postcode), normalise_nhs_number(nhs_number)
    found = [
        _score(c, given=given_name, family=family_name, on=on, postcode=postcode, nhs=nhs_number)
        for c in candidates(
            given_name=given_name, family_name=family_name, on=on, postcode=postcode, nhs_number=nhs_number
        )
        if exclude is None or c.pk != exclude.pk
    ]
    if not found:
        return SearchResult()
    seen = set(Child.objects.visible_to(user).filter(pk__in=[m.child.pk for m in found]).values_list("pk", flat=True))
    found.sort(key=lambda m: (-m.score, m.child.pk))
    result = SearchResult(visible=[m for m in found if m.child.pk in seen][:SHOWN_LIMIT])
    hidden = [m for m in found if m.child.pk not in seen]
    result.hidden_match = bool(hidden)
    result.hidden_nhs_match = any(m.nhs_number_matches for m in hidden)
    return result


def nhs_number_recorded(nhs_number: str, *, exclude: Child | None = None) -> bool:
    """Whether another child already has this NHS number (said without saying who)."""
    number = normalise_nhs_number(nhs_number)
    others = Child.objects.filter(nhs_number=number)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return bool(number) and others.exists()
