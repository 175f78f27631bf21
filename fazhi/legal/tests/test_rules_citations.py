"""Law versions: which text governs a date, and how a citation reads."""

import datetime

import pytest

from fazhi.legal.rules.citations import APL, APL_2017, WSL, WSL_2014, cite, version_in_force


def test_the_2021_penalty_law_governs_from_15_july_2021():
    versions = (APL_2017, APL)
    assert version_in_force(versions, datetime.date(2021, 7, 14)) is APL_2017
    assert version_in_force(versions, datetime.date(2021, 7, 15)) is APL


def test_the_2021_work_safety_law_governs_from_1_september_2021():
    versions = (WSL_2014, WSL)
    assert version_in_force(versions, datetime.date(2021, 8, 31)) is WSL_2014
    assert version_in_force(versions, datetime.date(2021, 9, 1)) is WSL


def test_a_date_before_any_version_is_refused_in_chinese():
    with pytest.raises(ValueError, match="尚未施行"):
        version_in_force((WSL_2014, WSL), datetime.date(2010, 1, 1))


def test_citation_names_law_version_and_article():
    assert cite(APL, "第六十三条", "hearing_rights").as_dict() == {
        "law": "中华人民共和国行政处罚法", "version": "2021", "article": "第六十三条",
        "applies_to": "hearing_rights"}
