import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_sign_in(client, username="sw", password="correct horse battery"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_pages_need_sign_in(client, world):
    response = client.get(reverse("children:list"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_first_sign_in_requires_setting_up_an_authenticator(client, world):
    assert password_sign_in(client).status_code == 302
    response = client.get(reverse("children:list"))
    assert response["Location"] == reverse("accounts:mfa_setup")
    page = client.get(reverse("accounts:mfa_setup"))
    assert "<svg" in page.content.decode() and "Key:" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.sw, confirmed=False)
    wrong = client.post(
        reverse("accounts:mfa_setup"), {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert "wrong or has expired" in wrong.content.decode()
    retry = client.post(reverse("accounts:mfa_setup"), {"token": current_code(device)})
    assert "Too many wrong codes" in retry.content.decode()  # throttled after a wrong code
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(reverse("accounts:mfa_setup"), {"token": current_code(device)}).status_code == 302
    assert client.get(reverse("children:list")).status_code == 200


def test_sign_in_with_password_then_code(client, world):
    device = TOTPDevice.objects.create(user=world.sw, name="app", confirmed=True)
    password_sign_in(client)
    response = client.get(reverse("children:list"))
    assert response["Location"].startswith(reverse("accounts:verify"))
    bad = client.post(reverse("accounts:verify"), {"token": "12ab56"})
    assert "must be 6 digits" in bad.content.decode()
    assert client.get(reverse("children:list")).status_code == 302
    done = client.post(reverse("accounts:verify") + "?next=/children/", {"token": current_code(device)})
    assert done.status_code == 302 and done["Location"] == "/children/"
    assert client.get(reverse("children:list")).status_code == 200


def test_verify_refuses_to_redirect_off_site(client, world):
    device = TOTPDevice.objects.create(user=world.sw, name="app", confirmed=True)
    password_sign_in(client)
    response = client.post(reverse("accounts:verify"), {"token": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/children/"


def test_wrong_password_is_explained(client, world):
    response = password_sign_in(client, password="wrong")
    assert "Enter a correct username and password" in response.content.decode()


def test_account_locks_after_repeated_failures(client, world):
    for _ in range(5):
        password_sign_in(client, password="wrong")
    response = password_sign_in(client)  # even the right password is refused now
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert client.get(reverse("children:list")).status_code == 302


@override_settings(SIGHTLINE_REQUIRE_MFA=False)
def test_without_mandatory_mfa_a_person_without_a_device_may_continue(client, world):
    password_sign_in(client)
    assert client.get(reverse("children:list")).status_code == 200


@pytest.mark.parametrize(
    "setting", ["SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST", "SESSION_EXPIRE_AT_BROWSER_CLOSE"]
)
def test_sessions_time_out(settings, setting):
    assert getattr(settings, setting)
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
