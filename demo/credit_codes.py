"""Synthetic but valid 统一社会信用代码 for demo and scale data (never real enterprises)."""

from __future__ import annotations

import random

from stdnum.cn import uscc

_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check(body: str) -> str:
    """GB 11714 organisation code check character over 8 characters."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_credit_code(rng: random.Random, region_code: str) -> str:
    """'91' (工商, 企业) + 6-digit region + 9-character organisation code + check character."""
    body = "".join(rng.choice("0123456789") for _ in range(2)) + "".join(
        rng.choice(_ORG_ALPHABET) for _ in range(6)
    )
    org = body + _org_check(body)
    stem = "91" + region_code[:6].ljust(6, "0") + org
    return stem + uscc.calc_check_digit(stem)
