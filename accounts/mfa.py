"""Multi-factor sign-in with a TOTP authenticator app (django-otp)."""

from __future__ import annotations

import base64

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

DEMO_SESSION_KEY = "sightline_demo_persona"
DEVICE_NAME = "Authenticator app"


def user_has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device_for(user) -> TOTPDevice:
    """The unconfirmed device a person is setting up, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def device_secret(device: TOTPDevice) -> str:
    """The shared secret in the base32 form authenticator apps accept when typed in."""
    return base64.b32encode(device.bin_key).decode("ascii")


def device_qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the provisioning URI (no external image, no inline script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code for your authenticator app")


def code_error(device: TOTPDevice, token: str) -> str | None:
    """Checks a code against a device (throttled after wrong codes); returns what is wrong, or None."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return "Too many wrong codes. Wait a minute, then try again"
    if not device.verify_token(token):
        return "The security code is wrong or has expired. Enter the code now shown in your app"
    return None
