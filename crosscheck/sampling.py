"""The replayable stratified draw of 异地核查, as pure functions of its inputs.

A draw is fixed by three things, all stored with it: the frame (the candidate units in a fixed order,
each with its city, its industry stratum and its weight from the risk signals), the rule (per city a
share and a minimum, the weight of each signal) and the seed. The same three give the same sample on
any machine and at any later time, so anyone can replay it (复核抽取); the frame's digest shows
whether the units or their signals have changed since.

Per city: n = max(minimum, ⌈share × N⌉), at most N; n is shared among the industry strata in
proportion to their size (largest remainder, ties by stratum code); within a stratum units are drawn
without replacement with probability proportional to their weight (Efraimidis–Spirakis keys
u^(1/w) from a generator seeded by the draw's seed, the city and the stratum).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# the risk signals a rule can weigh, in the order they are shown
SIGNALS = {
    "many_problems": "问题较多",
    "violation_without_case": "违法问题未立案",
    "flagged_closing": "销号跳过条件",
    "penalty_below_calculator": "罚款低于裁量基准",
}


@dataclass(frozen=True)
class Candidate:
    enterprise_id: int
    city: str  # the city's code
    stratum: str  # the industry division (GB/T 4754 大类) code, "" when unknown
    signals: tuple[str, ...] = ()

    def line(self, weight: int) -> str:
        return f"{self.enterprise_id}|{self.city}|{self.stratum}|{','.join(self.signals)}|{weight}"


@dataclass(frozen=True)
class Rule:
    share: float = 0.1
    minimum: int = 3
    weights: dict[str, int] = field(default_factory=dict)  # extra weight per signal

    def weight(self, candidate: Candidate) -> int:
        return 1 + sum(self.weights.get(signal, 0) for signal in candidate.signals)

    def as_dict(self) -> dict:
        return {"share": self.share, "minimum": self.minimum, "weights": dict(self.weights)}

    @classmethod
    def from_dict(cls, data: dict) -> Rule:
        return cls(
            share=float(data["share"]),
            minimum=int(data["minimum"]),
            weights={k: int(v) for k, v in data.get("weights", {}).items()},
        )


def in_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The frame's fixed order: by unit id (the order never depends on how rows were read)."""
    return sorted(candidates, key=lambda c: c.enterprise_id)


def frame_digest(frame: Sequence[Candidate], rule: Rule) -> str:
    """SHA-256 of the frame as drawn: every unit with its city, stratum, signals and weight."""
    digest = hashlib.sha256()
    for candidate in in_order(frame):
        digest.update(candidate.line(rule.weight(candidate)).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def city_size(total: int, rule: Rule) -> int:
    return min(total, max(rule.minimum, math.ceil(rule.share * total - 1e-9)))


def _allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """n shared among strata in proportion to their sizes (largest remainder)."""
    total = sum(sizes.values())
    quotas = {s: n * size / total for s, size in sizes.items()}
    shares = {s: min(sizes[s], math.floor(q)) for s, q in quotas.items()}
    left = n - sum(shares.values())
    for stratum in sorted(sizes, key=lambda s: (-(quotas[s] - math.floor(quotas[s])), s)):
        if left == 0:
            break
        if shares[stratum] < sizes[stratum]:
            shares[stratum] += 1
            left -= 1
    # a stratum that filled up hands its turn to the next with room (small strata, large shares)
    for stratum in sorted(sizes):
        while left and shares[stratum] < sizes[stratum]:
            shares[stratum] += 1
            left -= 1
    return shares


def draw(frame: Sequence[Candidate], rule: Rule, seed: str) -> list[Candidate]:
    """The sample: the units drawn, by city, then stratum, then the order they were drawn in."""
    by_city: dict[str, dict[str, list[Candidate]]] = defaultdict(lambda: defaultdict(list))
    for candidate in in_order(frame):
        by_city[candidate.city][candidate.stratum].append(candidate)
    picked: list[Candidate] = []
    for city in sorted(by_city):
        strata = by_city[city]
        n = city_size(sum(len(units) for units in strata.values()), rule)
        shares = _allocate({s: len(units) for s, units in strata.items()}, n)
        for stratum in sorted(strata):
            if not shares[stratum]:
                continue
            rng = random.Random(f"{seed}|{city}|{stratum}")
            keyed = []
            for candidate in strata[stratum]:
                u = rng.random() or 1e-300  # never 0: 0^(1/w) would tie every unit at the bottom
                keyed.append(
                    (u ** (1 / rule.weight(candidate)), -candidate.enterprise_id, candidate)
                )
            keyed.sort(key=lambda k: (k[0], k[1]), reverse=True)
            picked.extend(c for _, _, c in keyed[: shares[stratum]])
    return picked
