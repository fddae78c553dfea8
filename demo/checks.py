"""Demo mode lets anyone sign in as anyone: it must never run with production settings."""

from django.conf import settings
from django.core.checks import Error, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}


@register(deploy=False)
def demo_mode_not_in_production(app_configs, **kwargs) -> list[Error]:
    if not settings.SIGHTLINE_DEMO or settings.DEBUG:
        return []
    public_hosts = [h for h in settings.ALLOWED_HOSTS if h not in LOCAL_HOSTS]
    if not public_hosts:
        return []
    return [
        Error(
            "Demo mode (SIGHTLINE_DEMO) is on with production settings.",
            hint="Demo mode lets anyone sign in as any persona. Unset SIGHTLINE_DEMO "
            f"for a service reachable at {', '.join(public_hosts)}.",
            id="sightline.E001",
        )
    ]
