"""Court-style chronology exports: serial number, date, event, source, oldest first.

Superseded entries stay in, marked, with the serial number of the entry that corrects them, as
a court expects to see what was recorded and how it was corrected. The caller passes only the
entries the viewer may see, from `chronology.selectors` (restricted entries are filtered before
this point, and corrections are linked only where the viewer may see both entries)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from .models import ChronologyEntry

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Child

HEADER = ["No.", "Date", "Event", "Details", "Source", "Status"]
# A Unicode font, so names and text in any language print; the PDF falls back to a core font
# (with characters it cannot print replaced) where this font is not installed.
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Stop a spreadsheet treating a cell as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def display_date(entry: ChronologyEntry) -> str:
    if entry.date_precision == "month":
        return f"approx. {entry.occurred_on:%b %Y}"
    if entry.date_precision == "year":
        return f"approx. {entry.occurred_on:%Y}"
    return f"{entry.occurred_on:%d/%m/%Y}"


@dataclass(frozen=True)
class Row:
    number: int
    date: str
    event: str
    details: str
    source: str
    status: str

    def cells(self) -> list[str]:
        return [str(self.number), self.date, self.event, self.details, self.source, self.status]


def court_rows(entries: list[ChronologyEntry]) -> list[Row]:
    """Number the entries from 1 in the order given, and cross-reference corrections."""
    numbers = {entry.pk: i for i, entry in enumerate(entries, start=1)}
    rows = []
    for entry in entries:
        details = [entry.description]
        if entry.impact_on_child:
            details.append(f"Impact on the child: {entry.impact_on_child}")
        if entry.no_action_taken:
            details.append("Action taken: none")
        elif entry.action_taken:
            details.append(f"Action taken: {entry.action_taken}")
        status = []
        if entry.significance != "routine":
            status.append(entry.get_significance_display())
        if entry.restricted:
            status.append("Restricted")
        if entry.household_id:
            status.append("Household entry")
        # Only links the reader may follow (see chronology.selectors._readable): a correction of an
        # entry they may not see is exported as a plain entry, with no reason and no cross-reference.
        correction = entry.shown_correction
        if correction is not None:
            status.append(f"Superseded: corrected by no. {numbers.get(correction.pk, '(not in this export)')}")
        original = entry.shown_original
        if original is not None:
            status.append(f"Corrects no. {numbers.get(original.pk, '(not in this export)')}")
            if entry.correction_reason:
                details.append(f"Reason for correction: {entry.correction_reason}")
        rows.append(
            Row(
                number=numbers[entry.pk],
                date=display_date(entry),
                event=entry.event_label,
                details="\n".join(details),
                source=entry.source_label,
                status="; ".join(status),
            )
        )
    return rows


def chronology_csv(entries: list[ChronologyEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in court_rows(entries):
        writer.writerow([neutralise(cell) for cell in row.cells()])
    # A byte-order mark so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


COLUMN_WIDTHS = (10, 24, 42, 120, 45, 36)  # millimetres across landscape A4, inside the margins
LINE_HEIGHT = 3.6
PADDING = 1.0


def _wrap(measure, text: str, width: float) -> list[str]:
    """Greedy word wrap using the font's widths. fpdf2's own multi_cell is exact but slow (it measures
    the line again for every character), and a court bundle may hold thousands of entries."""
    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split():
            word_width = measure(word)
            while word_width > width and len(word) > 1:  # a word wider than the column is broken
                cut = len(word) - 1
                while cut > 1 and measure(word[:cut]) > width:
                    cut -= 1
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                lines.append(word[:cut])
                word = word[cut:]
                word_width = measure(word)
            if line and used + space + word_width > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used = used + space + word_width if line else word_width
            line.append(word)
        lines.append(" ".join(line))
    return lines


def chronology_pdf(entries: list[ChronologyEntry], *, child: Child, filters_text: str, user: User) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(f"Chronology for {child.full_name}")
    pdf.set_creator("Sightline")
    if UNICODE_FONT.exists() and UNICODE_FONT_BOLD.exists():
        pdf.add_font("Body", "", str(UNICODE_FONT))
        pdf.add_font("Body", "B", str(UNICODE_FONT_BOLD))
        family = "Body"

        def text(value: str) -> str:
            return value

    else:
        family = "Helvetica"

        def text(value: str) -> str:
            return value.encode("latin-1", "replace").decode("latin-1")

    widths: dict[tuple[str, str], float] = {}

    def measure(value: str) -> float:
        key = (pdf.font_style, value)
        if key not in widths:
            widths[key] = pdf.get_string_width(value)
        return widths[key]

    bottom = pdf.h - 15
    table_width = sum(COLUMN_WIDTHS)

    def draw_row(cells: list[str], *, bold: bool, y: float) -> float:
        pdf.set_font(family, "B" if bold else "", 8)
        wrapped = [_wrap(measure, text(c), w - 2 * PADDING) for w, c in zip(COLUMN_WIDTHS, cells, strict=True)]
        height = max(len(lines) for lines in wrapped) * LINE_HEIGHT + 2 * PADDING
        if y + height > bottom:
            y = new_page()
            pdf.set_font(family, "B" if bold else "", 8)
        x = pdf.l_margin
        for width, lines in zip(COLUMN_WIDTHS, wrapped, strict=True):
            for number, line in enumerate(lines, start=1):
                if line:
                    pdf.text(x + PADDING, y + PADDING + number * LINE_HEIGHT - 0.9, line)
            x += width
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + table_width, y + height)
        return y + height

    def new_page() -> float:
        pdf.add_page()
        pdf.set_font(family, "", 7)
        pdf.text(
            pdf.l_margin, pdf.h - 8, text(f"Chronology: {child.full_name}. OFFICIAL-SENSITIVE. Page {pdf.page_no()}")
        )
        return draw_row(HEADER, bold=True, y=pdf.t_margin) if pdf.page_no() > 1 else pdf.t_margin

    y = new_page()
    pdf.set_font(family, "B", 14)
    born = child.date_of_birth.strftime("%d/%m/%Y") if child.date_of_birth else "unborn"
    pdf.text(pdf.l_margin, y + 6, text(f"Chronology: {child.full_name} (born {born})"))
    pdf.set_font(family, "", 9)
    produced = (
        f"{filters_text}. {len(entries)} entries, oldest first. Produced by {user} on "
        f"{timezone.localtime():%d/%m/%Y %H:%M}. OFFICIAL-SENSITIVE."
    )
    pdf.text(pdf.l_margin, y + 12, text(produced))
    y = draw_row(HEADER, bold=True, y=y + 16)
    for row in court_rows(entries):
        y = draw_row(row.cells(), bold=False, y=y)
    return bytes(pdf.output())
