from django.apps import AppConfig


class CrosscheckConfig(AppConfig):
    name = "crosscheck"
    verbose_name = "异地核查"
