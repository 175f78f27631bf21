"""The pure rules of major decisions (rules/decisions.py), at their edges."""

from __future__ import annotations

import datetime

from fazhi.policy.rules import decisions as r

D = datetime.date


def _all_steps(**override) -> dict[str, r.StepFacts]:
    steps = {
        r.PUBLIC: r.StepFacts(r.PUBLIC, D(2024, 3, 1), D(2024, 4, 5), comment_from=D(2024, 3, 1),
                              comment_until=D(2024, 3, 31)),
        r.EXPERT: r.StepFacts(r.EXPERT, D(2024, 4, 8), D(2024, 4, 8)),
        r.RISK: r.StepFacts(r.RISK, D(2024, 4, 10), D(2024, 4, 20)),
        r.LEGALITY: r.StepFacts(r.LEGALITY, D(2024, 4, 22), D(2024, 5, 6), legality="legal"),
        r.COLLECTIVE: r.StepFacts(r.COLLECTIVE, D(2024, 5, 10), D(2024, 5, 10)),
    }
    steps.update(override)
    return steps


def test_comment_period_edges():
    # the opening day is not counted: 1 March to 31 March is 30 days
    assert r.comment_days(D(2024, 3, 1), D(2024, 3, 31)) == 30
    assert r.comment_period_gaps(D(2024, 3, 1), D(2024, 3, 31)) == []
    short = r.comment_period_gaps(D(2024, 3, 1), D(2024, 3, 30))
    assert len(short) == 1 and "不足30日" in str(short[0]) and "第十四条" in str(short[0])
    assert r.comment_period_gaps(D(2024, 3, 1), D(2024, 3, 30), "防汛紧急") == []
    assert r.comment_period_gaps(D(2024, 3, 1), D(2024, 2, 1))
    assert r.comment_period_gaps(None, D(2024, 3, 1))


def test_adoption_with_every_step():
    assert r.adoption_gaps(_all_steps(), D(2024, 5, 10)) == []


def test_adoption_names_missing_steps_and_articles():
    steps = _all_steps()
    del steps[r.EXPERT], steps[r.RISK]
    gaps = r.adoption_gaps(steps, D(2024, 5, 10))
    assert [g.kind for g in gaps] == [r.EXPERT, r.RISK]
    message = r.refusal_message(gaps)
    assert "专家论证" in message and "第十九条" in message
    assert "风险评估" in message and "第二十二条" in message


def test_incomplete_or_illegal_steps_block_adoption():
    gaps = r.adoption_gaps(_all_steps(
        risk=r.StepFacts(r.RISK, D(2024, 4, 10), None)), D(2024, 5, 10))
    assert any("尚未完成" in str(g) for g in gaps)
    gaps = r.adoption_gaps(_all_steps(
        legality=r.StepFacts(r.LEGALITY, D(2024, 4, 22), D(2024, 5, 6), legality="illegal")),
        D(2024, 5, 10))
    assert any("不合法" in str(g) and "第二十五条" in str(g) for g in gaps)


def test_legality_before_collective_discussion():
    late = r.StepFacts(r.LEGALITY, D(2024, 4, 22), D(2024, 5, 11), legality="legal")
    gaps = r.adoption_gaps(_all_steps(legality=late), D(2024, 5, 12))
    assert any("之前完成" in str(g) for g in gaps)
    same_day = r.StepFacts(r.LEGALITY, D(2024, 4, 22), D(2024, 5, 10), legality="legal")
    assert r.adoption_gaps(_all_steps(legality=same_day), D(2024, 5, 10)) == []


def test_adoption_date_not_before_discussion():
    assert r.adoption_gaps(_all_steps(), D(2024, 5, 9))
    assert r.adoption_gaps(_all_steps(), None)


def test_unanswered_comments_block_adoption():
    public = r.StepFacts(r.PUBLIC, D(2024, 3, 1), D(2024, 4, 5), comment_from=D(2024, 3, 1),
                         comment_until=D(2024, 3, 31), comments_unanswered=2)
    gaps = r.adoption_gaps(_all_steps(public=public), D(2024, 5, 10))
    assert any("2条公众意见" in str(g) for g in gaps)
