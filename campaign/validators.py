"""Validators for Chinese identifiers and phone numbers, with messages a user can act on."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

USERNAME_MAX = 150  # User.username's length (Django's AbstractUser)
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# 区号 (3–4 digits starting with 0), optional dash, 7–8 digit number, optional extension
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def normalize_credit_code(value: str) -> str:
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015), check character included (python-stdnum)."""
    try:
        uscc.validate(value)
    except stdnum_exceptions.InvalidLength as exc:
        raise ValidationError("统一社会信用代码应为 18 位。", code="length") from exc
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError("统一社会信用代码校验位不正确，请核对。", code="checksum") from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            "统一社会信用代码格式不正确：前 8 位应为数字，其余为数字或大写字母（不含 I、O、Z、S、V）。",
            code="format",
        ) from exc


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s（）()]", "", value or "").replace("—", "-").replace("－", "-")


def validate_phone(value: str) -> None:
    """A Chinese mobile (11 digits, 1[3-9]…) or landline with area code (0371-66309206)."""
    phone = normalize_phone(value)
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return
    raise ValidationError(
        "电话号码格式不正确：手机号为 11 位（如 13812345678），固定电话需带区号（如 0371-66309206）。",
        code="phone",
    )


def validate_mobile(value: str) -> None:
    """A Chinese mobile number: 11 digits starting 13–19."""
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(
            "手机号码格式不正确：应为 11 位数字，以 13—19 开头（如 13812345678）。", code="mobile"
        )


def check_text(model, values: dict) -> None:
    """The edge's last word on text a service is about to store: within the column's length and
    free of NUL characters (which PostgreSQL refuses), naming the field in Chinese."""
    errors = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        field = model._meta.get_field(name)
        label = str(field.verbose_name)
        if "\x00" in value:
            errors[name] = f"{label}含有无效的空字符，请删除后重试。"
        elif field.max_length and len(value) > field.max_length:
            errors[name] = f"{label}最多 {field.max_length} 个字（现为 {len(value)} 个）。"
    if errors:
        raise ValidationError(errors)
