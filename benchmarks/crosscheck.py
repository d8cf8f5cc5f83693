"""Stage 5 at scale: the province's sample draw over every key unit, and the team draw over the pools.

- sample: `sample_draw` for a new provincial round (10 %, at least 3 per city, the four risk signals
  weighted as in the demo): the frame read from the ledger (every key unit with its problems, its
  violations without a case, its flagged 销号 and its penalties below the calculator), the stratified
  weighted draw, the stored frame and the sampled units; then `sample_replay` (the stored frame
  drawn again, the frame read again and compared). The frame query and the pure draw are also timed
  apart (`frame_of`; `sampling.draw` with `frame_digest`).
- factor 5 without a database five times as big: the factor-1 frame repeated five times (ids offset,
  same cities, strata and signals: 25,000 key units), drawn and digested in memory. The frame query
  is one pass over the key units and their campaign rows; at factor 5 it reads five times the rows
  (`make bench --factor 5` measures all of it on a database generated at that factor).
- teams: `team_draw` on the drawn round (the pools of `generate_scale`: two officers of every county,
  200 experts; one team per city, the handlers of every sampled unit kept away), then `team_replay`.

Every run happens inside a transaction that is rolled back: the database stays as generated.
"""

from __future__ import annotations

import datetime as dt
import time

from benchmarks.timing import Sample

GOAL_SECONDS = 10.0  # "seconds, not minutes"
WEIGHTS = {
    "many_problems": 2,
    "violation_without_case": 3,
    "flagged_closing": 3,
    "penalty_below_calculator": 2,
}


class _Rollback(Exception):
    pass


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def _one_run(actor, campaign) -> dict:
    """Open, draw, replay, form teams, replay them; roll everything back; the times and sizes."""
    from django.db import transaction
    from django.utils import timezone

    from crosscheck import sampling
    from crosscheck.models import VerificationRound
    from crosscheck.services import round as round_services
    from crosscheck.services import team as team_services

    figures: dict = {}
    try:
        with transaction.atomic():
            row = round_services.round_open(
                actor=actor,
                level=VerificationRound.Level.PROVINCE,
                title="性能测试核查轮次",
                campaign=campaign,
                share="0.1",
                minimum=3,
                weights=WEIGHTS,
                many_problems=5,
                release_at=timezone.now() + dt.timedelta(days=1),
                ends_on=timezone.localdate() + dt.timedelta(days=30),
            )
            frame, figures["frame_seconds"] = _timed(lambda: round_services.frame_of(row))
            rule = round_services.rule_of(row)
            _, figures["pure_seconds"] = _timed(
                lambda: (sampling.draw(frame, rule, "bench"), sampling.frame_digest(frame, rule))
            )
            draw, figures["draw_seconds"] = _timed(
                lambda: round_services.sample_draw(
                    actor=actor, row=row, witnesses="性能测试", seed="bench"
                )
            )
            replay, figures["replay_seconds"] = _timed(
                lambda: round_services.sample_replay(actor=actor, draw=draw)
            )
            assert replay.sample_same and replay.frame_same, "the replay did not match"
            row.refresh_from_db()
            teams, figures["teams_seconds"] = _timed(
                lambda: team_services.team_draw(
                    actor=actor, row=row, witnesses="性能测试", seed="bench"
                )
            )
            again, figures["teams_replay_seconds"] = _timed(
                lambda: team_services.team_replay(actor=actor, row=row)
            )
            assert again.sample_same and again.frame_same, "the team replay did not match"
            figures.update(
                frame=draw.frame_size,
                sampled=draw.units.count(),
                pool=len(teams.pool),
                targets=len(teams.targets),
                kept_away=sum(len(t[2]) for t in teams.targets),
                teams=row.teams.count(),
            )
            raise _Rollback
    except _Rollback:
        pass
    return figures


def _five_times(frame):
    from crosscheck import sampling

    step = max(c.enterprise_id for c in frame) + 1
    return [
        sampling.Candidate(c.enterprise_id + k * step, c.city, c.stratum, c.signals)
        for k in range(5)
        for c in frame
    ]


def run(factor: float, rounds: int) -> dict:
    from campaign import counting
    from campaign.models import User
    from crosscheck import sampling
    from crosscheck.models import VerificationRound
    from crosscheck.services import round as round_services
    from demo.campaign import campaign_2020

    actor = User.objects.get(username="scale-province")
    runs = [_one_run(actor, campaign_2020()) for _ in range(rounds)]
    counting.forget_all()  # the rolled-back rows may have touched cached counts

    # factor 5 in memory: the frame of factor 1 (read once more, outside any round) five times over
    probe = VerificationRound(
        level=VerificationRound.Level.PROVINCE,
        share="0.1",
        minimum=3,
        weights=WEIGHTS,
        many_problems=5,
        campaign=campaign_2020(),
    )
    big = _five_times(round_services.frame_of(probe))
    rule = round_services.rule_of(probe)
    pure5 = []
    for _ in range(rounds):
        started = time.perf_counter()
        picked = sampling.draw(big, rule, "bench")
        sampling.frame_digest(big, rule)
        pure5.append(time.perf_counter() - started)

    def sample(key: str) -> Sample:
        return Sample([r[key] for r in runs])

    first = runs[0]
    rows = []
    for name, key, size in (
        (
            f"抽取样本（`sample_draw`，系数 {factor:g}）",
            "draw_seconds",
            f"{first['frame']} 家 → {first['sampled']} 家",
        ),
        ("　其中：读取抽样框（`frame_of`）", "frame_seconds", f"{first['frame']} 家"),
        ("　其中：分层加权抽取与摘要（内存）", "pure_seconds", f"{first['frame']} 家"),
        ("复核抽取（`sample_replay`）", "replay_seconds", f"{first['frame']} 家"),
        (
            "随机编组（`team_draw`）",
            "teams_seconds",
            f"人员库 {first['pool']} 人 → {first['teams']} 组（回避 {first['kept_away']} 人次）",
        ),
        ("复核编组（`team_replay`）", "teams_replay_seconds", f"{first['targets']} 个被核查市"),
    ):
        s = sample(key)
        rows.append(_row(name, size, s))
    rows.insert(
        3,
        _row(
            f"分层加权抽取与摘要（内存，系数 {factor * 5:g} 的抽样框）",
            f"{len(big)} 家 → {len(picked)} 家",
            Sample(pure5),
        ),
    )
    for r in rows:
        print(f"  {r['name']}：{r['median']:.2f} s（{r['size']}）", flush=True)
    return {"rounds": rounds, "rows": rows}


def _row(name: str, size: str, s: Sample) -> dict:
    return {
        "name": name,
        "size": size,
        "median": s.median,
        "p95": s.p95,
        "ok": s.p95 <= GOAL_SECONDS,
    }
