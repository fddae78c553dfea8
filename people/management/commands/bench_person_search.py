"""Time the duplicate search (people.search.person_search) on a county-sized table of children.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_bench python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_bench python manage.py bench_person_search \
        --children 250000

Fills an empty database with synthetic children (people.synthetic), then runs about 50 realistic
searches (an exact NHS number, a typo in a name, a name and date of birth, a date of birth and
postcode), prints p50/p95 and the queries each search ran, and EXPLAIN (ANALYZE) of the candidate
query for each shape, noting any sequential scan of the children table. On a database that already
holds children it only measures (`--children 0` says so explicitly).
"""

from __future__ import annotations

import random
import re
import statistics
import time
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from people.models import Child
from people.search import candidates, normalise_nhs_number, normalise_postcode, person_search
from people.synthetic import SyntheticChildren

BENCH_USERNAME = "bench.search"


@dataclass(frozen=True)
class Search:
    shape: str
    child_pk: int
    given_name: str
    family_name: str
    on: object = None
    postcode: str = ""
    nhs_number: str = ""

    def kwargs(self) -> dict:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "on": self.on,
            "postcode": self.postcode,
            "nhs_number": self.nhs_number,
        }

    def candidate_kwargs(self) -> dict:
        """As person_search passes them to candidates: postcode and NHS number normalised."""
        return {
            **self.kwargs(),
            "postcode": normalise_postcode(self.postcode),
            "nhs_number": normalise_nhs_number(self.nhs_number),
        }


SHAPES = ("NHS number + name", "typo in a name", "name + date of birth", "date of birth + postcode")


def typo(name: str, rng: random.Random) -> str:
    """One slip of the keyboard: two letters swapped, one dropped or one doubled."""
    if len(name) < 4:
        return name + name[-1]
    at = rng.randint(1, len(name) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if kind == "drop":
        return name[:at] + name[at + 1 :]
    return name[:at] + name[at] + name[at:]


def realistic_searches(count: int, *, seed: int) -> list[Search]:
    """`count` searches spread over the four shapes, each about a child who is in the table."""
    rng = random.Random(seed)
    total = Child.objects.count()
    if total == 0:
        raise CommandError("No children to search for.")
    searches: list[Search] = []
    pks = list(Child.objects.order_by("pk").values_list("pk", flat=True)[:: max(1, total // (count * 4))])
    others = SyntheticChildren(seed=seed + 1)
    pool = iter(rng.sample(pks, min(len(pks), count * 4)))
    for index in range(count):
        shape = SHAPES[index % len(SHAPES)]
        child = None
        while child is None:
            child = Child.objects.select_related("household").get(pk=next(pool))
            wanted = child.nhs_number if shape == "NHS number + name" else child.date_of_birth
            if not wanted:
                child = None
        if shape == "NHS number + name":
            nhs = child.nhs_number
            typed = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
            searches.append(Search(shape, child.pk, child.given_name, child.family_name, nhs_number=typed))
        elif shape == "typo in a name":
            searches.append(Search(shape, child.pk, child.given_name, typo(child.family_name, rng)))
        elif shape == "name + date of birth":
            searches.append(Search(shape, child.pk, child.given_name, child.family_name, on=child.date_of_birth))
        else:
            # Known by another name (a nickname, a new family name): only the date and postcode agree.
            searches.append(
                Search(
                    shape, child.pk, others.given_name(), others.family_name(), on=child.date_of_birth,
                    postcode=child.household.postcode.lower().replace(" ", ""),
                )
            )
    return searches


def plan_summary(plan: str) -> str:
    scans = re.findall(
        r"(Seq Scan on \w+|Index Only Scan using \w+|Index Scan using \w+|Bitmap Index Scan on \w+)", plan
    )
    return ", ".join(dict.fromkeys(scans))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Fill a database with synthetic children and time the duplicate search on it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--children", type=int, default=250_000, help="Children to create (0: only measure).")
        parser.add_argument("--searches", type=int, default=48, help="Searches to time (spread over four shapes).")
        parser.add_argument("--rounds", type=int, default=3, help="Timed rounds after one warm-up round.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-explain", action="store_true")

    def handle(self, *args, children: int, searches: int, rounds: int, seed: int, no_explain: bool, **options):
        existing = Child.objects.count()
        if children and existing:
            raise CommandError(
                f"The database already holds {existing} children; use an empty one, or --children 0 to measure only."
            )
        if children:
            self._fill(children, seed)
        user, _ = User.objects.get_or_create(username=BENCH_USERNAME, defaults={"role": Role.PRACTITIONER})
        self.stdout.write(
            f"{Child.objects.count()} children, {connection.vendor}; {searches} searches x {rounds} rounds"
        )
        plan = realistic_searches(searches, seed=seed)
        timings: dict[str, list[float]] = {shape: [] for shape in SHAPES}
        counts: dict[str, set[int]] = {shape: set() for shape in SHAPES}
        for round_ in range(rounds + 1):
            for search in plan:
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    person_search(user=user, **search.kwargs())
                    elapsed = (time.perf_counter() - started) * 1000
                if round_:  # the first round warms the caches
                    timings[search.shape].append(elapsed)
                    counts[search.shape].add(len(captured.captured_queries))
        every = [t for shape in SHAPES for t in timings[shape]]
        self.stdout.write(f"{'shape':<26} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  queries")
        for shape in (*SHAPES, "all"):
            values = every if shape == "all" else timings[shape]
            queries = "" if shape == "all" else "/".join(str(n) for n in sorted(counts[shape]))
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            self.stdout.write(f"{shape:<26} {p50:7.1f} {p95:7.1f} {max(values):7.1f}  {queries}")
        found = sum(1 for search in plan if search.child_pk in {c.pk for c in candidates(**search.candidate_kwargs())})
        self.stdout.write(f"the child searched for was among the candidates in {found} of {len(plan)} searches")
        if not no_explain:
            self._explain(plan)

    def _fill(self, count: int, seed: int) -> None:
        started = time.perf_counter()

        def progress(made) -> None:
            if made.children % 50_000 < 5000:
                self.stdout.write(f"  {made.children} children, {made.households} households")

        with transaction.atomic():
            made = SyntheticChildren(seed=seed).write(count, progress=progress)
        if connection.vendor == "postgresql":
            # What autovacuum does after a load like this: statistics for the planner, and the GIN
            # trigram indexes' pending lists merged (searched linearly until then: 14 ms, not 0.5).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE people_household")
                cursor.execute("VACUUM ANALYZE people_child")
        self.stdout.write(
            f"created {made.children} children ({made.with_nhs_number} with an NHS number) in "
            f"{made.households} households in {time.perf_counter() - started:.0f} s"
        )

    def _explain(self, plan: list[Search]) -> None:
        for shape in SHAPES:
            search = next(s for s in plan if s.shape == shape)
            queryset = candidates(**search.candidate_kwargs())
            options = {"analyze": True} if connection.vendor == "postgresql" else {}
            explained = queryset.explain(**options)
            verdict = "SEQUENTIAL SCAN of people_child" if "Seq Scan on people_child" in explained else "no seq scan"
            self.stdout.write(f"\n== {shape}: {search.kwargs()}\n-- {verdict}; {plan_summary(explained)}")
            self.stdout.write(explained)
