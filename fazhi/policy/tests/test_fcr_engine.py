"""The fair-competition screening engine (fazhi.policy.rules.fcr) at its edges, and its
precision and recall on the project's labelled clause sets (tests/data/)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fazhi.policy.rules import fcr
from fazhi.policy.rules.fcr_eval import evaluate, load_set

DATA = Path(__file__).parent / "data"
ALL_IDS = {f"FCR-{a}-{i}" for a, n in ((8, 5), (9, 6), (10, 4), (11, 4))
           for i in range(1, n + 1)}


def _ids(text: str) -> list[str]:
    return [flag.standard for flag in fcr.screen(text)]


def test_the_rule_file_has_every_standard_of_articles_8_to_11_with_its_article():
    standards = fcr.rules().standards
    assert {s.id for s in standards} == ALL_IDS
    for s in standards:
        article, item = s.id.split("-")[1:]
        numerals = "零一二三四五六七八九十"
        cn = {"8": "八", "9": "九", "10": "十", "11": "十一"}[article]
        assert s.article == f"第{cn}条第（{numerals[int(item)]}）项", s.id
        assert s.rules and s.explanation and s.remedy and "待核实" in s.measures


def test_a_malformed_standard_id_is_refused():
    with pytest.raises(ValueError, match="标准编号"):
        fcr.parse_rules({"version": "x", "standards": [
            {"id": "FCR-12-1", "article": "", "title": "", "explanation": "", "remedy": "",
             "rules": [{"pattern": "x"}]}]})


def test_a_flag_names_standard_cue_explanation_and_the_span_in_the_original_text():
    text = "第一条　为规范采购工作，制定本办法。\n第二条　投标人具有本市同类项目业绩的加3分。"
    (flag,) = fcr.screen(text)
    assert flag.standard == "FCR-9-3"
    assert text[flag.start:flag.end] == "投标人具有本市同类项目业绩的加3分。"
    assert flag.cue in text[flag.start:flag.end]
    assert text[flag.cue_start:flag.cue_end] == flag.cue
    assert "《公平竞争审查条例》第九条第（三）项" in flag.explanation


def test_clauses_split_at_sentence_ends_and_numbered_items_keep_their_offsets():
    text = "各单位：\n一、加强领导；二、落实责任。（三）强化督查\n4. 做好总结"
    clauses = fcr.split_clauses(text)
    assert [c.text for c in clauses] == ["各单位", "加强领导；", "落实责任。", "强化督查",
                                         "做好总结"]
    assert all(text[c.start:c.end] == c.text for c in clauses)


def test_empty_blank_and_unrelated_texts_give_no_flags():
    assert fcr.screen("") == []
    assert fcr.screen("  \n\t ") == []
    assert fcr.screen("会议定于3月15日上午9时在局四楼会议室召开。") == []


def test_a_clause_may_meet_several_standards_once_each():
    text = "对某某化工有限公司给予奖励200万元，其土地出让金全额返还，土地出让金再返还。"
    ids = _ids(text)
    assert sorted(ids) == ["FCR-10-2", "FCR-10-3"]


@pytest.mark.parametrize(("text", "standard"), [
    ("全区中小学校服统一由区教育服务公司采购供应。", "FCR-8-3"),
    ("外地物业服务企业承接本区物业项目的，应当先在本区设立分公司。", "FCR-9-2"),
    ("新引进企业缴纳的企业所得税区级分成部分实行先征后奖。", "FCR-10-1"),
    ("各驾校应当执行驾培行业协会统一制定的培训收费标准。", "FCR-11-1"),
])
def test_the_references_violating_examples_are_flagged(text, standard):
    assert standard in _ids(text)


@pytest.mark.parametrize("text", [
    # a safeguard forbids the practice
    "不得以在本地注册作为承接业务的条件。",
    "采购项目不得设定地域限制，外地供应商与本地供应商平等参与。",
    # the permit is created by law (negative list)
    "建筑施工企业应当依法取得安全生产许可证后方可从事建筑施工活动。",
    # 指定 a person or place, not a supplier
    "由办公室指定专人负责值班信息报送。",
    # a statutory filing
    "生产经营单位应当将其生产安全事故应急救援预案报送应急管理部门备案。",
    # a national tax incentive restated with its basis (第十条 needs a law or the State Council)
    "企业开展研发活动发生的研发费用，按照国家规定在计算应纳税所得额时加计扣除。",
    # price monitoring, data not shared among competitors
    "各加油站按月向市发展改革委报送成品油零售价格，用于价格监测分析，数据不对外公开。",
    # a repealed provision
    "企业应当在本市办理工商登记后方可享受本市出台的惠企政策的规定予以废止。",
])
def test_benign_look_alikes_are_not_flagged(text):
    assert _ids(text) == []


def test_context_words_must_begin_a_jieba_token():
    # "采购" inside a word that is not about procurement does not make 本市业绩 a
    # tendering condition; the same clause in a procurement setting does
    assert "FCR-9-3" in _ids("采购人要求供应商具有本市业绩。")
    assert "FCR-9-3" not in _ids("企业宣传材料中介绍其在本市的业绩。")


def test_screening_is_deterministic():
    text = (DATA / "fcr_clauses_dev.tsv").read_text(encoding="utf-8")
    assert fcr.screen(text) == fcr.screen(text)


def test_the_labelled_sets_cover_every_standard_and_benign_clauses():
    for name in ("dev", "heldout"):
        items = load_set(DATA / f"fcr_clauses_{name}.tsv")
        labels = set().union(*(wanted for _, wanted in items))
        assert labels == ALL_IDS, name
        assert sum(1 for _, wanted in items if not wanted) >= 50, name
    assert len(load_set(DATA / "fcr_clauses_dev.tsv")) + len(
        load_set(DATA / "fcr_clauses_heldout.tsv")) >= 400


@pytest.mark.parametrize("name", ["dev", "heldout"])
def test_precision_and_recall_on_the_labelled_sets_are_at_least_0_9(name):
    report = evaluate(load_set(DATA / f"fcr_clauses_{name}.tsv"))
    assert report.precision >= 0.9, report.render(name)
    assert report.recall >= 0.9, report.render(name)


def test_the_rule_file_is_valid_yaml_with_a_version():
    data = yaml.safe_load(fcr.DATA.read_text(encoding="utf-8"))
    assert data["version"] == fcr.ENGINE_VERSION
