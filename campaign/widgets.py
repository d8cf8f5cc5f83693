"""Widgets for long choice lists (157 counties): the same markup as Django's, written in Python.

Django renders every <option> through a template; a page with the county filter spent more time
on that than on its query. The output equals forms.Select's (a test holds them equal).
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_filters.widgets import BooleanWidget


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "\n",
            '  <option value="{}"{}>{}</option>',
            (
                (
                    option,
                    mark_safe(" selected") if str(option) in selected else "",
                    "请选择" if label == "---------" else label,  # as the widget template writes it
                )
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)


class YesNoAll(BooleanWidget):
    """A yes/no filter whose empty choice reads 全部 (django-filter's reads 未知)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "全部"), ("true", "是"), ("false", "否"))
