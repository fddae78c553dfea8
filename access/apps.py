from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Need-to-know access and the access log"

    def ready(self) -> None:
        # django.contrib.admin comes first in INSTALLED_APPS, so its ready() has already imported every
        # app's admin module: the registry is complete here, and each ModelAdmin in it gets logged.
        from django.contrib import admin

        from .admin_logging import log_every_admin

        log_every_admin(admin.site)
