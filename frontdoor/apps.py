from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "frontdoor"
    verbose_name = "Requests for support (the front door)"
