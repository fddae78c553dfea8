from django.urls import reverse

from tests.matrix import Entry

ENTRIES: dict[str, Entry] = {
    "signals:list": Entry(lambda w: reverse("signals:list"), {}),
}
