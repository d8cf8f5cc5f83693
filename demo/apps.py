from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the platform; the top layer, so it may use every app."""

    name = "demo"
    verbose_name = "演示数据"
