"""The certificate rules at their edges (pure: no database)."""

from __future__ import annotations

import datetime

import pytest

from fazhi.licensing.rules import certificates as r

D = datetime.date


def special(issued: D, **kw):
    return r.certificate_dates(r.SPECIAL_OPERATION, issued, **kw)


def test_special_operation_reviewed_every_3_years_valid_6():
    dates = special(D(2024, 3, 15))
    assert dates.review_due == D(2027, 3, 15)
    assert dates.review_application_opens == D(2027, 1, 14)  # 60 days before
    assert dates.expires == D(2030, 3, 15)
    assert dates.review_interval_years == 3
    assert dates.latest_extension_application is None
    articles = {(c.law, c.article) for c in dates.citations}
    assert ("特种作业人员安全技术培训考核管理规定", "第二十一条") in articles
    assert ("特种作业人员安全技术培训考核管理规定", "第十九条") in articles
    assert ("中华人民共和国民法典", "第二百零二条") in articles


def test_29_february_ends_on_28_february():
    dates = special(D(2024, 2, 29))
    assert dates.review_due == D(2027, 2, 28)
    assert dates.expires == D(2030, 2, 28)
    assert r.add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


def test_extension_to_6_years_needs_10_years_compliance_and_approval():
    assert special(D(2024, 1, 10), continuous_years_in_trade=10, compliant=True,
                   extension_approved=True).review_interval_years == 6
    extended = special(D(2024, 1, 10), continuous_years_in_trade=10, extension_approved=True)
    assert extended.review_due == extended.expires == D(2030, 1, 10)
    # eligible but not approved: still 3 years
    assert special(D(2024, 1, 10), continuous_years_in_trade=25).review_interval_years == 3
    with pytest.raises(r.CertificateRuleError, match="不满10年"):
        special(D(2024, 1, 10), continuous_years_in_trade=9, extension_approved=True)
    with pytest.raises(r.CertificateRuleError, match="未严格遵守"):
        special(D(2024, 1, 10), continuous_years_in_trade=12, compliant=False,
                extension_approved=True)


@pytest.mark.parametrize("years", [-1, 61, True, 2.5])
def test_years_in_trade_must_be_a_sensible_integer(years):
    with pytest.raises(r.CertificateRuleError):
        special(D(2024, 1, 10), continuous_years_in_trade=years)


def test_qualification_certificate_valid_3_years_extension_30_days_before():
    dates = r.certificate_dates(r.PRINCIPAL_SAFETY, D(2024, 1, 31))
    assert dates.expires == D(2027, 1, 31)
    assert dates.latest_extension_application == D(2027, 1, 1)
    assert dates.review_due is None and dates.review_interval_years is None
    assert set(dates.as_dict()) == {"expires", "latest_extension_application", "citations",
                                    "notes"}
    assert {c.article for c in dates.citations} >= {"第二十五条"}
    with pytest.raises(r.CertificateRuleError, match="第二十五条"):
        r.certificate_dates(r.PRINCIPAL_SAFETY, D(2024, 1, 31), extension_approved=True)


def test_rules_apply_from_the_day_each_text_took_effect():
    with pytest.raises(r.CertificateRuleError, match="施行日"):
        special(D(2010, 6, 30))
    assert special(D(2010, 7, 1)).expires == D(2016, 7, 1)
    with pytest.raises(r.CertificateRuleError, match="施行日"):
        r.certificate_dates(r.PRINCIPAL_SAFETY, D(2012, 2, 29))
    assert r.certificate_dates(r.PRINCIPAL_SAFETY, D(2012, 3, 1)).expires == D(2015, 3, 1)


def test_unknown_kind_and_bad_dates_refused():
    with pytest.raises(r.CertificateRuleError, match="类别"):
        r.certificate_dates("forklift", D(2024, 1, 1))
    with pytest.raises(r.CertificateRuleError, match="日期"):
        r.certificate_dates(r.SPECIAL_OPERATION, datetime.datetime(2024, 1, 1))
    with pytest.raises(r.CertificateRuleError, match="之间"):
        r.certificate_dates(r.SPECIAL_OPERATION, D(2101, 1, 1))


def test_status_on_the_edge_days():
    kw = {"kind": r.SPECIAL_OPERATION, "expires": D(2030, 3, 15),
          "review_due": D(2027, 3, 15), "revoked": False}
    assert r.certificate_status(**kw, today=D(2027, 3, 15)).code == r.VALID
    lapsed = r.certificate_status(**kw, today=D(2027, 3, 16))
    assert lapsed.code == r.EXPIRED and lapsed.citation.article == "第二十六条"
    reviewed = {**kw, "review_due": D(2030, 3, 15)}
    assert r.certificate_status(**reviewed, today=D(2030, 3, 15)).code == r.VALID
    assert r.certificate_status(**reviewed, today=D(2030, 3, 16)).code == r.EXPIRED
    assert r.certificate_status(**{**kw, "revoked": True}, today=D(2025, 1, 1)).code == r.REVOKED
    qualification = {"kind": r.PRINCIPAL_SAFETY, "expires": D(2027, 1, 31), "review_due": None,
                     "revoked": False}
    assert r.certificate_status(**qualification, today=D(2027, 1, 31)).code == r.VALID
    assert r.certificate_status(**qualification, today=D(2027, 2, 1)).code == r.EXPIRED


def test_next_review_and_renewal():
    assert r.next_review_due(D(2027, 3, 15), D(2030, 3, 15), 3) == D(2030, 3, 15)
    assert r.renewal_dates(D(2030, 3, 15), kind=r.SPECIAL_OPERATION) == (
        D(2036, 3, 15), D(2033, 3, 15))
    assert r.renewal_dates(D(2027, 1, 31), kind=r.PRINCIPAL_SAFETY) == (D(2030, 1, 31), None)


def test_exam_pass_mark_is_80_in_both_parts():
    assert r.exam_passed(80, 80)
    assert not r.exam_passed(79, 100)
    assert not r.exam_passed(100, 79)
    assert not r.exam_passed(None, 90)


def test_numbers_embedding_an_id_are_masked():
    assert r.mask_certificate_number("T330402198001011234") == "T330402********1234"
    assert r.mask_certificate_number("330400Z2024000001") == "330400Z2024000001"
