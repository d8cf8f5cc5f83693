"""The project package on top of the stack: settings, URLs (every app's routes mounted), the
Celery app and WSGI. No app imports it."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
