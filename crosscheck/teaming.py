"""The replayable random team draw of 异地核查, as pure functions of its inputs.

A team draw is fixed by the pool (every eligible person in a fixed order: officers from the 执法能手
pool with a certificate, experts from the expert pool, each with their city, county, industries and
whether they may lead), the targets (per team: the city or county it visits, the industries of its
units and the people who must stay away from them — who inspected or handled a unit before, or
declared a conflict with it), the rule (officers and experts per team) and the seed. The same four
give the same teams anywhere, at any later time (复核抽取).

Targets are staffed in code order. For each, a generator seeded by the seed and the target's code
shuffles the pool; the leader is the first free officer who may lead, then the other officers, then
the experts — those knowing one of the units' industries first. Nobody goes to their own city (a
city round: their own county), to a unit they handled or declared, or into two teams. Staffing one
target after another can leave the last without enough people although the pool would do (a city
round's counties send each other their officers): the draw is then tried again with the attempt's
number added to the seed, up to `ATTEMPTS` times; the first complete draw is the draw, so the
attempts too are replayed exactly.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

OFFICER, EXPERT = "officer", "expert"
ATTEMPTS = 50


@dataclass(frozen=True)
class Person:
    user_id: int
    kind: str  # OFFICER or EXPERT
    city: str  # home city code, "" for province staff and experts without one
    county: str  # home county code, "" when none
    industries: tuple[str, ...] = ()  # 大类 codes an expert knows
    may_lead: bool = False

    def line(self) -> str:
        return (
            f"{self.user_id}|{self.kind}|{self.city}|{self.county}|"
            f"{','.join(self.industries)}|{int(self.may_lead)}"
        )


@dataclass(frozen=True)
class Target:
    code: str  # the city (province round) or county (city round) visited
    industries: tuple[str, ...] = ()
    kept_away: tuple[int, ...] = ()  # user ids: handled a unit before, or declared a conflict

    def line(self) -> str:
        return f"{self.code}|{','.join(self.industries)}|{','.join(map(str, self.kept_away))}"


@dataclass(frozen=True)
class TeamRule:
    officers: int = 2  # certified officers, the leader included
    experts: int = 1
    by_county: bool = False  # a city round: teams visit counties, nobody their own county

    def as_dict(self) -> dict:
        return {"officers": self.officers, "experts": self.experts, "by_county": self.by_county}

    @classmethod
    def from_dict(cls, data: dict) -> TeamRule:
        return cls(
            officers=int(data["officers"]),
            experts=int(data["experts"]),
            by_county=bool(data.get("by_county", False)),
        )


@dataclass
class Drawn:
    target: str
    leader: int | None = None
    officers: list[int] = field(default_factory=list)  # the leader first
    experts: list[int] = field(default_factory=list)
    short: list[str] = field(default_factory=list)  # what could not be staffed, in words

    @property
    def members(self) -> list[int]:
        return [*self.officers, *self.experts]


def digest(pool: Sequence[Person], targets: Sequence[Target], rule: TeamRule) -> str:
    h = hashlib.sha256()
    for person in sorted(pool, key=lambda p: p.user_id):
        h.update(person.line().encode() + b"\n")
    h.update(b"--\n")
    for target in sorted(targets, key=lambda t: t.code):
        h.update(target.line().encode() + b"\n")
    h.update(repr(sorted(rule.as_dict().items())).encode())
    return h.hexdigest()


def _away(person: Person, target: Target, rule: TeamRule) -> bool:
    """Must this person stay away from this target?"""
    if person.user_id in target.kept_away:
        return True
    home = person.county if rule.by_county else person.city
    return bool(home) and home == target.code


def draw(
    pool: Sequence[Person], targets: Sequence[Target], rule: TeamRule, seed: str
) -> list[Drawn]:
    """The teams; where even the last attempt leaves a team short, that attempt with its `short`."""
    for attempt in range(ATTEMPTS):
        teams = _attempt(pool, targets, rule, seed if attempt == 0 else f"{seed}#{attempt}")
        if not any(t.short for t in teams):
            break
    return teams


def _attempt(
    pool: Sequence[Person], targets: Sequence[Target], rule: TeamRule, seed: str
) -> list[Drawn]:
    ordered = sorted(pool, key=lambda p: p.user_id)
    used: set[int] = set()
    teams = []
    for target in sorted(targets, key=lambda t: t.code):
        rng = random.Random(f"{seed}|{target.code}")
        shuffled = ordered[:]
        rng.shuffle(shuffled)
        free = [p for p in shuffled if p.user_id not in used and not _away(p, target, rule)]
        team = Drawn(target.code)
        leader = next((p for p in free if p.kind == OFFICER and p.may_lead), None)
        if leader is None:
            team.short.append("没有可担任组长的执法能手")
        else:
            team.leader = leader.user_id
            team.officers.append(leader.user_id)
        for p in free:
            if len(team.officers) >= rule.officers:
                break
            if p.kind == OFFICER and p.user_id not in team.officers:
                team.officers.append(p.user_id)
        if len(team.officers) < rule.officers:
            team.short.append(
                f"执法能手不足（需 {rule.officers} 名，可用 {len(team.officers)} 名）"
            )
        knows = set(target.industries)
        experts = [p for p in free if p.kind == EXPERT]
        # those knowing the units' industries first, the draw's order kept within each group
        experts.sort(key=lambda p: not (knows & set(p.industries)))
        team.experts = [p.user_id for p in experts[: rule.experts]]
        if len(team.experts) < rule.experts:
            team.short.append(f"专家不足（需 {rule.experts} 名，可用 {len(team.experts)} 名）")
        used.update(team.members)
        teams.append(team)
    return teams
