"""python manage.py seed_demo --children N --seed S [--as-of YYYY-MM-DD] [--if-empty] [--report]"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from demo.personas import PERSONAS
from demo.services import PartnershipExistsError, partnership_exists, partnership_seed
from demo.shape import NATIONAL, partnership_shape


class Command(BaseCommand):
    help = "Builds a deterministic synthetic partnership (households, children, episodes, practitioners)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=3000, help="How many children (default 3000).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: same seed, same data.")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="The 'today' the history is built up to (default: today). Same seed and date, same data.",
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if a partnership already exists.")
        parser.add_argument("--report", action="store_true", help="Print the shape against national figures.")

    def handle(self, *args, **options) -> None:
        if options["children"] < 1:
            raise CommandError("--children must be at least 1.")
        if options["if_empty"] and partnership_exists():
            self.stdout.write("A partnership already exists: reusing it.")
        else:
            as_of = options["as_of"] or timezone.localdate()
            started = time.monotonic()
            try:
                result = partnership_seed(
                    children=options["children"],
                    seed=options["seed"],
                    as_of=as_of,
                    progress=lambda done: self.stderr.write(f"  {done} children written", ending="\r"),
                )
            except PartnershipExistsError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"Built {result.children} children in {result.households} households, "
                f"{result.episodes} episodes, {result.involvements} involvements and "
                f"{result.practitioners} practitioners in {time.monotonic() - started:.1f}s."
                + "".join(f"\n  {name}: {count}" for name, count in sorted(result.enriched.items()))
            )
        if options["report"]:
            shape = partnership_shape()
            self.stdout.write(
                f"Child protection plans: {shape.cp_plans}; under neglect {shape.cp_neglect_share:.0%} "
                f"(national {NATIONAL['cp_neglect_share']:.0%}); second or subsequent "
                f"{shape.cp_subsequent_share:.0%} (national {NATIONAL['cp_subsequent_share']:.0%}).\n"
                f"Referrals: {shape.referrals}; re-referrals within 12 months {shape.re_referral_rate:.0%} "
                f"(national {NATIONAL['re_referral_rate']:.0%})."
            )
        self.stdout.write("Demo personas (sign in at /demo/ in demo mode):")
        for persona in PERSONAS:
            self.stdout.write(
                f"  {persona.username:<14} {persona.first_name} {persona.last_name}: {persona.description}"
            )
