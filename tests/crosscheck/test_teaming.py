"""The pure team draw: the same inputs give the same teams; the rules hold for every seed."""

from __future__ import annotations

from crosscheck import teaming
from crosscheck.teaming import EXPERT, OFFICER, Person, Target, TeamRule


def _pool():
    officers = [
        Person(n, OFFICER, city, f"{city}0{n % 2}", (), may_lead=n % 2 == 0)
        for n, city in enumerate(["4101", "4101", "4102", "4102", "4103", "4103"] * 2, start=1)
    ]
    experts = [Person(100 + n, EXPERT, "", "", ("26",) if n < 2 else ("31",)) for n in range(5)]
    return officers + experts


def test_the_same_inputs_give_the_same_teams_and_the_rules_hold_for_every_seed():
    pool = _pool()
    targets = [Target("4101", ("26",)), Target("4102", ("31",), kept_away=(5, 7)), Target("4103")]
    rule = TeamRule(officers=3, experts=1)
    by_id = {p.user_id: p for p in pool}
    for seed in map(str, range(40)):
        teams = teaming.draw(pool, targets, rule, seed)
        assert [(t.leader, t.members) for t in teams] == [
            (t.leader, t.members) for t in teaming.draw(list(reversed(pool)), targets, rule, seed)
        ]
        used = [pk for t in teams for pk in t.members]
        assert len(used) == len(set(used))
        for team, target in zip(teams, sorted(targets, key=lambda t: t.code), strict=True):
            assert not team.short and len(team.officers) == 3 and len(team.experts) == 1
            assert team.officers[0] == team.leader and by_id[team.leader].may_lead
            assert all(by_id[pk].city != target.code for pk in team.members)
            assert not set(team.members) & set(target.kept_away)
        # the expert knowing the 郑州 units' industry goes there
        assert "26" in by_id[teams[0].experts[0]].industries


def test_a_city_round_keeps_officers_from_their_own_county_and_retries_a_starved_draw():
    counties = ["410102", "410103", "410105"]
    pool = [
        Person(n, OFFICER, "4101", county, may_lead=True)
        for n, county in enumerate([c for c in counties for _ in range(2)], start=1)
    ] + [Person(50 + n, EXPERT, "", "") for n in range(3)]
    rule = TeamRule(officers=2, experts=1, by_county=True)
    targets = [Target(code) for code in counties]
    for seed in map(str, range(30)):
        teams = teaming.draw(pool, targets, rule, seed)
        assert not any(t.short for t in teams), seed  # a complete draw exists and is found
        county = {p.user_id: p.county for p in pool}
        for team in teams:
            assert all(county[pk] != team.target for pk in team.officers)


def test_a_pool_that_cannot_staff_a_team_says_what_is_missing():
    pool = [Person(1, OFFICER, "4102", "", may_lead=True), Person(9, EXPERT, "", "")]
    (team,) = teaming.draw(pool, [Target("4101")], TeamRule(officers=2, experts=2), "x")
    assert team.short == ["执法能手不足（需 2 名，可用 1 名）", "专家不足（需 2 名，可用 1 名）"]


def test_the_digest_changes_with_the_pool_the_targets_and_the_rule():
    pool, targets, rule = _pool(), [Target("4101")], TeamRule()
    base = teaming.digest(pool, targets, rule)
    assert base == teaming.digest(list(reversed(pool)), targets, rule)
    assert base != teaming.digest(pool[:-1], targets, rule)
    assert base != teaming.digest(pool, [Target("4101", kept_away=(3,))], rule)
    assert base != teaming.digest(pool, targets, TeamRule(officers=3))
