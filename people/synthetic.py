"""Synthetic children in bulk, for measuring the duplicate search (people.search) at a county's size.

Fictional names with a realistic spread (a few hundred family and given names, the common ones far
more common, Zipf-like; see _zipf_weights), dates of birth over 18 years, a few unborn babies, households of one to
four children with postcodes, and most children with a test NHS number (999 prefix, never issued).
Written with bulk_create in batches; the phonetic name keys are filled as Child.save fills them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from demo import vocabulary as words

from .identifiers import nhs_check_digit
from .models import Child, Household

BATCH_SIZE = 5000

def _words(text: str) -> list[str]:
    return text.split()


# Added to the demo's word lists to make a few hundred of each, in rough order of frequency.
MORE_FAMILY_NAMES = _words("""
Walker Wright Robinson Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson
Clarke Clark Turner Hill Scott Cooper Morris Ward Moore King Watson Baker Harrison Morgan Young
Allen Mitchell Anderson Bell Cook Bailey Parker Miller Shaw Richards Khan Marshall Collins Cox
Richardson Graham Murphy Evans Stevens Griffiths Ellis Knight Barker Holmes Fisher Kelly Russell
Dixon Campbell Ali Palmer Butler Pearson Foster Lee Fox Gibson Ahmed Hussain Kennedy Matthews
Carter Jenkins Gray Hayes Wells Spencer Price Reynolds Adams Stewart Murray Andrews Simpson Fletcher
Hamilton Robertson Cole Powell Barnes Payne West Owen Harvey Ross Mills Hart Hudson Byrne Lawrence
Saunders Dawson Holland Bennett Francis Riley Grant Chambers Sutton Wallace Hunter Ryan Begum Singh
Nowak Kowalski Wojcik Popescu Ionescu Ozturk Yilmaz Nguyen Osei Mensah Okafor Adeyemi Mahmood
Iqbal Akhtar Rahman Islam Uddin Miah Sharma Mistry Shah Desai Chauhan Lal Bibi Rashid Malik Aziz
Farrell Doyle Quinn Brennan Gallagher Burke Walsh Lynch Sweeney Moran Kerr Duncan Ferguson Reid
Sinclair Fraser Munro Baxter Booth Briggs Cartwright Crossley Dunn Eastwood Fairclough Greenwood
Hargreaves Haworth Horrocks Ingham Kershaw Lord Marsden Nuttall Ormerod Pilling Ramsbottom
Schofield Sutcliffe Tattersall Whittaker Wilkinson Ashworth Howarth Holt Duckworth Entwistle
Heywood Hindle Barlow Birch Bradshaw Brookes Buckley Chadwick Collier Dean Gregory Hartley Hodgson
Hopkins Houghton Howard Jordan Kirby Lambert Lowe Marsh Naylor Newton Norris Parkinson Pickering
Porter Potter Rowe Sharp Slater Stone Storey Swift Talbot Tomlinson Townsend Tyler Vaughan Waite
Warren Watts Weston Whitehead Wilde Woodward Yates Abbott Ashton Barton Bolton Bromley Cain Cross
""")
MORE_GIVEN_NAMES = _words("""
Oscar Arthur Harry Freddie Theo Leo Alfie Jack Charlie Jacob Thomas Archie Henry Joshua James
William Max Lucas Ethan Logan Isaac Mason Harrison Teddy Finley Reggie Tommy Ronnie Elijah Adam
Mohammed Muhammad Ibrahim Yusuf Ali Zayn Ayaan Musa Omar Hamza Aarav Arjun Rohan Kai Riley Jenson
Sophia Grace Freya Emily Poppy Florence Evie Ella Willow Daisy Phoebe Sienna Elsie Ruby Millie
Evelyn Harper Matilda Maisie Hallie Luna Aria Sofia Nancy Esme Eva Lola Layla Maya Zara Aisha Fatima
Maryam Hafsa Inaya Amara Zainab Anaya Priya Kiera Shannon Chloe Jade Courtney Chelsea Demi Megan
Bethany Paige Tia Leah Caitlin Abigail Molly Jessica Lucy Holly Hannah Katie Lauren Georgia Summer
Tyler Kyle Callum Connor Bradley Jordan Reece Brandon Kieran Declan Ashton Corey Dylan Owen Ryan
Lewis Jake Cameron Nathan Luke Aaron Kacper Jakub Szymon Filip Antoni Zofia Julia Zuzanna Lena Maja
Andrei Stefan Ionut Maria Elena Ioana Kofi Kwame Ama Chidi Tolu Ayo Emre Elif Defne
""")


def _unique(*lists: list[str]) -> list[str]:
    return list(dict.fromkeys(name for names in lists for name in names))


FAMILY_NAMES = _unique(words.FAMILY_NAMES, MORE_FAMILY_NAMES)
GIVEN_NAMES = _unique(words.GIRLS, words.BOYS, MORE_GIVEN_NAMES)


def _zipf_weights(count: int, exponent: float = 0.5) -> list[float]:
    """Cumulative weights falling with rank: with a few hundred names, the first (Smith) is about 3%
    of children, rank 100 about 0.3%; the real Smith is nearer 1%, so this is the harder case."""
    return list(accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


@dataclass
class Made:
    children: int
    households: int
    with_nhs_number: int


class SyntheticChildren:
    """Builds and writes children `count` at a time; deterministic for a seed."""

    def __init__(self, *, seed: int = 1, today: date | None = None, nhs_start: int = 0) -> None:
        self.rng = random.Random(seed)
        self.today = today or date.today()
        self._nhs = nhs_start
        self._family_weights = _zipf_weights(len(FAMILY_NAMES))
        self._given_weights = _zipf_weights(len(GIVEN_NAMES))

    def family_name(self) -> str:
        return self.rng.choices(FAMILY_NAMES, cum_weights=self._family_weights)[0]

    def given_name(self) -> str:
        return self.rng.choices(GIVEN_NAMES, cum_weights=self._given_weights)[0]

    def postcode(self) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        inward = f"{self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"
        return f"{words.POSTCODE_AREA}{self.rng.randint(1, 40)} {inward}"

    def nhs_number(self) -> str:
        while True:
            self._nhs += 1
            first_nine = f"999{self._nhs % 1_000_000:06d}"
            check = nhs_check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"

    def _household(self) -> Household:
        street = self.rng.choice(words.STREETS)
        town = self.rng.choice(words.TOWNS)[0]
        return Household(address_line=f"{self.rng.randint(1, 240)} {street}", town=town, postcode=self.postcode())

    def _child(self, household: Household, family_name: str) -> Child:
        unborn = self.rng.random() < 0.01
        child = Child(household=household, given_name=self.given_name(), family_name=family_name)
        if unborn:
            child.expected_date_of_birth = self.today + timedelta(days=self.rng.randint(1, 270))
        else:
            child.date_of_birth = self.today - timedelta(days=self.rng.randint(0, 18 * 365 + 4))
            if self.rng.random() < 0.8:
                child.nhs_number = self.nhs_number()
        child.fill_name_keys()
        return child

    def write(self, count: int, *, batch_size: int = BATCH_SIZE, progress=None) -> Made:
        made = Made(0, 0, 0)
        while made.children < count:
            households: list[Household] = []
            children: list[Child] = []
            while len(children) < min(batch_size, count - made.children):
                household = self._household()
                households.append(household)
                family_name = self.family_name()
                for _ in range(self.rng.choice((1, 1, 2, 2, 2, 3, 3, 4))):
                    # Mostly one family name in a household; sometimes a child has another.
                    name = family_name if self.rng.random() < 0.85 else self.family_name()
                    children.append(self._child(household, name))
            children = children[: count - made.children]
            Household.objects.bulk_create(households, batch_size=batch_size)
            Child.objects.bulk_create(children, batch_size=batch_size)
            made.children += len(children)
            made.households += len(households)
            made.with_nhs_number += sum(1 for c in children if c.nhs_number)
            if progress is not None:
                progress(made)
        return made
