import pytest
from django.core.exceptions import ValidationError

from access.reasons import reason_clean, reason_normalise, reason_problem


@pytest.mark.parametrize(
    "text",
    ["", " " * 40, "\t\n \u00a0 ", "." * 30, "xxxxxxxxxxxxxxxxxxxxxxxx", "1234 5678 9012 3456 7890", "no no no no no"],
)
def test_whitespace_punctuation_digits_and_one_repeated_word_are_refused(text: str) -> None:
    assert reason_problem(text, min_words=3, min_chars=20)
    with pytest.raises(ValidationError):
        reason_clean(text, min_words=3, min_chars=20)


def test_a_reason_in_words_passes_and_is_stored_tidied() -> None:
    text = "  Police   called:\x00 children left alone overnight \n\n  again  "
    assert reason_problem(text, min_words=3, min_chars=20) == ""
    assert reason_clean(text, min_words=3, min_chars=20) == "Police called: children left alone overnight\nagain"


def test_letters_in_any_language_count_as_words() -> None:
    assert reason_problem("Dzieci same w domu przez noc", min_words=3) == ""


def test_the_message_names_the_subject_and_what_is_needed() -> None:
    assert reason_problem("   ", subject="why you disagree") == "Enter why you disagree"
    assert reason_problem("ok", subject="why you disagree", min_words=2) == (
        "Explain why you disagree in words (at least 2 words)"
    )


def test_normalise_keeps_line_breaks_between_paragraphs() -> None:
    assert reason_normalise("one\r\n\r\ntwo") == "one\ntwo"
