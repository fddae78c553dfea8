from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Need-to-know access and the access log"
