"""The 异地核查 draw is a pure function of its frame, rule and seed: replayable anywhere, sized per
city, shared among industries, weighted by risk signals; the frame's digest betrays any change."""

from __future__ import annotations

from collections import Counter

from crosscheck.sampling import Candidate, Rule, city_size, draw, frame_digest

RULE = Rule(share=0.1, minimum=3, weights={"many_problems": 4, "violation_without_case": 2})


def _frame(sizes: dict[tuple[str, str], int]) -> list[Candidate]:
    frame, next_id = [], 1
    for (city, stratum), size in sizes.items():
        for _ in range(size):
            frame.append(Candidate(next_id, city, stratum))
            next_id += 1
    return frame


def test_the_same_frame_rule_and_seed_give_the_same_sample_in_any_input_order():
    frame = _frame({("4101", "26"): 40, ("4101", "44"): 20, ("4103", "26"): 25})
    first = draw(frame, RULE, "20200801-7731")
    assert draw(list(reversed(frame)), RULE, "20200801-7731") == first
    assert draw(frame, RULE, "20200801-7732") != first  # another seed, another sample
    assert len(set(first)) == len(first)  # without replacement


def test_each_city_gets_its_share_or_its_minimum_and_never_more_than_it_has():
    assert [city_size(n, RULE) for n in (0, 2, 3, 25, 30, 31, 60)] == [0, 2, 3, 3, 3, 4, 6]
    frame = _frame({("4101", "26"): 45, ("4102", "26"): 2, ("4103", "26"): 12})
    sample = Counter(c.city for c in draw(frame, RULE, "s"))
    assert sample == {"4101": 5, "4102": 2, "4103": 3}


def test_a_citys_draw_is_shared_among_its_industries_in_proportion():
    frame = _frame({("4101", "26"): 60, ("4101", "44"): 20, ("4101", "33"): 20})
    sample = Counter(c.stratum for c in draw(frame, RULE, "s"))
    assert sample == {"26": 6, "44": 2, "33": 2}
    # a remainder goes to the largest fraction: 5 of (3, 1, 1) units → 3 + 1 + 1
    frame = _frame({("4101", "26"): 30, ("4101", "44"): 10, ("4101", "33"): 10})
    sample = Counter(c.stratum for c in draw(frame, Rule(share=0.1, minimum=5), "s"))
    assert sample == {"26": 3, "44": 1, "33": 1}


def test_risk_signals_make_a_unit_more_likely_to_be_drawn():
    frame = _frame({("4101", "26"): 50})
    risky = Candidate(frame[0].enterprise_id, "4101", "26", ("many_problems",))
    frame[0] = risky
    drawn = Counter()
    for n in range(400):
        drawn.update(c.enterprise_id for c in draw(frame, RULE, f"seed-{n}"))
    plain = sum(drawn[c.enterprise_id] for c in frame[1:]) / 49
    # weight 5 against 1: drawn several times as often as an average plain unit
    assert drawn[risky.enterprise_id] > 3 * plain


def test_the_digest_changes_with_the_units_or_their_signals_not_with_their_order():
    frame = _frame({("4101", "26"): 5, ("4103", "44"): 5})
    digest = frame_digest(frame, RULE)
    assert frame_digest(list(reversed(frame)), RULE) == digest
    assert frame_digest(frame[:-1], RULE) != digest
    signalled = [*frame[:-1], Candidate(frame[-1].enterprise_id, "4103", "44", ("many_problems",))]
    assert frame_digest(signalled, RULE) != digest
    # the rule's weights are part of what was drawn from
    assert frame_digest(signalled, Rule(share=0.1, minimum=3)) != frame_digest(signalled, RULE)
