"""Reasons that must be written in words, wherever a reason is required.

Length alone is not enough: twenty spaces, a row of dots or "xxxxxxxxxxxxxxxxxxxx" pass a
character count but explain nothing. A reason passes when, after collapsing whitespace, it has at
least `min_words` different words of two or more letters and at least `min_chars` characters.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_WORD = re.compile(r"[^\W\d_]{2,}")
_SPACE = re.compile(r"\s+")


def reason_normalise(text: str | None) -> str:
    """The reason as it will be stored: trimmed, NUL bytes and runs of spaces removed (line breaks kept)."""
    text = (text or "").replace("\x00", "")
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def reason_problem(text: str | None, *, subject: str = "your reason", min_words: int = 2, min_chars: int = 0) -> str:
    """What is wrong with a reason, in words for the person writing it, or "" when it will do."""
    text = reason_normalise(text)
    if not text:
        return f"Enter {subject}"
    words = {word.lower() for word in _WORD.findall(text)}
    if len(words) < min_words or len(text) < min_chars:
        least = f"at least {min_words} words" + (f" and {min_chars} characters" if min_chars else "")
        return f"Explain {subject} in words ({least})"
    return ""


def reason_clean(text: str | None, *, subject: str = "your reason", min_words: int = 2, min_chars: int = 0) -> str:
    """The normalised reason, or a ValidationError that says what is missing."""
    problem = reason_problem(text, subject=subject, min_words=min_words, min_chars=min_chars)
    if problem:
        raise ValidationError(problem, code="reason")
    return reason_normalise(text)
