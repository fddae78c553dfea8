import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access.models import AccessAction, AccessEvent
from chronology.models import ChronologyEntry, ChronologyUpload, EntrySource
from conftest import World

from .test_upload import _file, _line


def _post(client, raw: bytes):
    return client.post(reverse("chronology:upload"), {"file": SimpleUploadedFile("events.csv", raw, "text/csv")})


def test_upload_dry_run_then_write(world: World, signed_in) -> None:
    client = signed_in(world.dsl)
    page = client.get(reverse("chronology:upload")).content.decode()
    assert "nhs_number" in page and "missed_health_appointment" in page
    response = _post(client, _file(_line(nhs_number="9434765919"), _line(nhs_number="1234567881")))
    assert response.status_code == 302
    upload = ChronologyUpload.objects.get()
    before = AccessEvent.objects.count()
    text = client.get(response["Location"]).content.decode()
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.order_by("-id").first().action == AccessAction.LIST
    assert "Ruby Ashworth" in text and "No child you can see matches" in text and "Row" in text
    # Without accepting "valid only", nothing is written.
    response = client.post(response["Location"], {})
    assert "nothing was written" in response.content.decode()
    assert not ChronologyEntry.objects.filter(source=EntrySource.UPLOAD).exists()
    # The rejects download holds the bad row with its error.
    rejects = client.get(reverse("chronology:upload_rejects", args=[upload.pk]))
    rows = list(csv.reader(io.StringIO(rejects.content.decode("utf-8-sig"))))
    assert rows[0][0] == "row" and rows[1][0] == "3" and "No child you can see" in rows[1][-1]
    response = client.post(reverse("chronology:upload_check", args=[upload.pk]), {"valid_only": "on"})
    assert response.status_code == 302
    assert ChronologyEntry.objects.filter(source=EntrySource.UPLOAD).count() == 1
    assert "Added" in client.get(response["Location"]).content.decode()


def test_file_problems_are_shown_on_the_form(world: World, signed_in) -> None:
    client = signed_in(world.dsl)
    response = _post(client, b"event_date,event_type\n" + "Café".encode("latin-1"))
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert "not in UTF-8" in text and "Columns missing" not in text
    text = _post(client, b"nhs_number,event_date\n1,2\n").content.decode()
    assert "Columns missing: event_type, description" in text
    assert "Choose a CSV file to upload" in client.post(reverse("chronology:upload"), {}).content.decode()
    assert not ChronologyUpload.objects.exists()


def test_another_users_upload_is_not_found(world: World, signed_in) -> None:
    _post(signed_in(world.dsl), _file(_line(nhs_number="9434765919")))
    upload = ChronologyUpload.objects.get()
    client = signed_in(world.sw)
    assert client.get(reverse("chronology:upload_check", args=[upload.pk])).status_code == 404
    assert client.post(reverse("chronology:upload_check", args=[upload.pk]), {}).status_code == 404
