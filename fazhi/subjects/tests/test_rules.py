"""The pure rules: identifier validation (GB 32100-2015, GB 11643-1999, GB/T 4754-2017),
ID-number masking and who sees whole ID numbers."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from stdnum.cn import ric as ric_std
from stdnum.cn import uscc as uscc_std

from fazhi.core.models import Role
from fazhi.core.tests.factories import make_id_number, make_uscc
from fazhi.subjects.rules.access import can_edit_subjects, path_contains
from fazhi.subjects.rules.identifiers import (
    IdentifierError,
    normalize_id_number,
    normalize_industry_code,
    normalize_uscc,
)
from fazhi.subjects.rules.masking import (
    can_see_id_numbers,
    mask_id_number,
    mask_phone_numbers_in,
    shown_id_number,
    shown_text,
)

# A real-world-shaped code (市场监管 / 企业 / 330402 / an organisation code).
USCC = make_uscc(12345)
ID = make_id_number(123)


def _wrong_check(number: str, alphabet: str) -> str:
    """The same number with a check character that is not the right one."""
    right = number[-1]
    return number[:-1] + next(c for c in alphabet if c != right)


# --- 统一社会信用代码 -------------------------------------------------------------------

class TestUscc:
    def test_valid_code_is_returned_compact(self):
        assert normalize_uscc(USCC) == USCC

    def test_published_example_is_valid(self):
        # The example of python-stdnum's documentation, computed independently of ours.
        assert normalize_uscc("91110000600037341L") == "91110000600037341L"
        assert normalize_uscc("91110000600037341l") == "91110000600037341L"

    def test_lowercase_spaces_and_full_width_are_normalised(self):
        messy = " " + USCC[:9].lower() + " " + USCC[9:].lower() + " "
        assert normalize_uscc(messy) == USCC
        full_width = "".join(chr(ord(c) + 0xFEE0) for c in USCC)
        assert normalize_uscc(full_width) == USCC

    def test_bad_check_character_names_the_right_one(self):
        bad = _wrong_check(USCC, "0123456789ABCDEFGHJKLMNPQRTUWXY")
        with pytest.raises(IdentifierError) as err:
            normalize_uscc(bad)
        assert "校验码错误" in str(err.value)
        assert f"“{USCC[-1]}”" in str(err.value)

    @pytest.mark.parametrize("value, length", [(USCC[:17], 17), (USCC + "1", 19), ("9133", 4)])
    def test_wrong_length_says_how_long_it_is(self, value, length):
        with pytest.raises(IdentifierError) as err:
            normalize_uscc(value)
        assert "应为18位" in str(err.value)
        assert f"当前为{length}位" in str(err.value)

    def test_letters_not_in_the_code_set_are_named(self):
        bad = USCC[:10] + "O" + USCC[11:]  # O is excluded (looks like 0)
        with pytest.raises(IdentifierError) as err:
            normalize_uscc(bad)
        assert "不允许的字符" in str(err.value) and "O" in str(err.value)

    def test_letter_in_the_division_code_is_a_format_error(self):
        head = "91A30402" + USCC[8:17]
        with pytest.raises(IdentifierError) as err:
            normalize_uscc(head + uscc_std.calc_check_digit(head))
        assert "前8位" in str(err.value)

    def test_empty(self):
        with pytest.raises(IdentifierError, match="不能为空"):
            normalize_uscc("  ")

    def test_is_a_value_error(self):
        with pytest.raises(ValueError):
            normalize_uscc("x")


# --- 居民身份证号 -----------------------------------------------------------------------

class TestIdNumber:
    def test_valid_number(self):
        assert normalize_id_number(ID) == ID

    def test_example_of_the_standard(self):
        # GB 11643-1999's own example number, check character X.
        assert normalize_id_number("11010519491231002x") == "11010519491231002X"

    def test_lowercase_x_is_upper_cased(self):
        # Find a serial whose check character is X.
        number = next(n for n in (make_id_number(s) for s in range(1000)) if n.endswith("X"))
        assert normalize_id_number(number[:-1] + "x") == number

    def test_county_code_changed_since_birth_is_accepted(self):
        # 330402 was 城区 in 1980; people born then carry it from a later first issue.
        assert normalize_id_number(make_id_number(5, "330402", datetime.date(1975, 3, 9)))

    def test_bad_checksum(self):
        with pytest.raises(IdentifierError) as err:
            normalize_id_number(_wrong_check(ID, "0123456789X"))
        assert "校验码错误" in str(err.value)
        assert f"“{ID[-1]}”" in str(err.value)

    @pytest.mark.parametrize("value, length", [(ID[:15], 15), (ID + "0", 19)])
    def test_bad_length(self, value, length):
        with pytest.raises(IdentifierError) as err:
            normalize_id_number(value)
        assert "应为18位" in str(err.value) and f"当前为{length}位" in str(err.value)

    def test_letters_inside_are_refused(self):
        with pytest.raises(IdentifierError, match="前17位应全为数字"):
            normalize_id_number(ID[:5] + "A" + ID[6:])

    def test_impossible_birth_date(self):
        head = "33040219800230123"  # 30 February
        with pytest.raises(IdentifierError, match="不是有效的出生日期"):
            normalize_id_number(head + ric_std.calc_check_digit(head + "0"))

    def test_future_birth_date(self):
        number = make_id_number(1, birth=datetime.date(2030, 1, 1))
        with pytest.raises(IdentifierError, match="不合理"):
            normalize_id_number(number, today=datetime.date(2025, 1, 1))

    def test_unknown_province(self):
        head = "99040219800101123"
        with pytest.raises(IdentifierError, match="省级行政区划代码"):
            normalize_id_number(head + ric_std.calc_check_digit(head + "0"))


# --- 国民经济行业代码 --------------------------------------------------------------------

class TestIndustryCode:
    @pytest.mark.parametrize("value, expected", [
        ("C2614", "C2614"), ("c2614", "C2614"), (" C 26 ", "C26"), ("F516", "F516"),
        ("A01", "A01"), ("T97", "T97"), ("Ｃ２６１４", "C2614"),
    ])
    def test_valid(self, value, expected):
        assert normalize_industry_code(value) == expected

    @pytest.mark.parametrize("value", ["2614", "C2", "C26145", "CC261", "C-2614"])
    def test_bad_format_explains_the_shape(self, value):
        with pytest.raises(IdentifierError) as err:
            normalize_industry_code(value)
        assert "门类字母" in str(err.value) and "C2614" in str(err.value)

    def test_section_letter_beyond_t(self):
        with pytest.raises(IdentifierError, match="不存在"):
            normalize_industry_code("Z2614")

    def test_division_outside_its_section(self):
        # 制造业 (C) spans divisions 13–43; 51 is 批发业 (F).
        with pytest.raises(IdentifierError) as err:
            normalize_industry_code("C5169")
        assert "大类51不属于门类C" in str(err.value)


# --- masking and who sees what -------------------------------------------------------------

class TestMasking:
    def test_keeps_first_six_and_last_four(self):
        assert mask_id_number("330402198001011234") == "330402********1234"

    def test_never_shows_the_birth_date(self):
        masked = mask_id_number(ID)
        assert ID[6:14] not in masked and len(masked) == len(ID)

    def test_short_or_missing_values_are_fully_masked(self):
        assert mask_id_number("1234567") == "*******"
        assert mask_id_number("") == ""
        assert mask_id_number(None) == ""


def test_phone_numbers_in_a_text_are_masked_and_longer_digit_runs_left_alone():
    text = "电话13812345678，座机0573-82345678或057382345678，单号123813812345678"
    masked = mask_phone_numbers_in(text)
    assert "138****5678" in masked and "13812345678" not in masked.replace("123813812345678", "")
    assert "82345678" not in masked and masked.count("[电话号码已隐去]") == 2
    assert "123813812345678" in masked  # part of a longer number: not a phone
    assert mask_phone_numbers_in("") == "" and mask_phone_numbers_in(None) == ""


def _user(role: str, *, active: bool = True, authenticated: bool = True) -> SimpleNamespace:
    return SimpleNamespace(role=role, is_active=active, is_authenticated=authenticated)


class TestWhoSeesWholeIdNumbers:
    @pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICER, Role.REVIEWER])
    def test_roles_writing_documents_see_whole_numbers(self, role):
        assert can_see_id_numbers(_user(role))
        assert shown_id_number(_user(role), ID) == ID

    @pytest.mark.parametrize("role", [Role.LEADER, Role.ENTERPRISE, Role.SUPERVISOR])
    def test_other_roles_see_masked_numbers(self, role):
        assert not can_see_id_numbers(_user(role))
        assert shown_id_number(_user(role), ID) == mask_id_number(ID)

    def test_anonymous_and_inactive_never_do(self):
        assert not can_see_id_numbers(None)
        assert not can_see_id_numbers(_user(Role.OFFICER, authenticated=False))
        assert not can_see_id_numbers(_user(Role.OFFICER, active=False))

    def test_free_text_masks_every_number_in_it_for_the_other_roles(self):
        text = f"当事人王某（身份证号{ID}）、李某（{ID}）"
        assert shown_text(_user(Role.OFFICER), text) == text
        masked = shown_text(_user(Role.SUPERVISOR), text)
        assert ID not in masked and masked.count(mask_id_number(ID)) == 2
        assert masked.startswith("当事人王某（身份证号")
        assert shown_text(None, text) == masked
        assert shown_text(_user(Role.SUPERVISOR), None) == ""


class TestWhoEditsTheRegistry:
    @pytest.mark.parametrize("role, allowed", [
        (Role.OFFICER, True), (Role.ADMIN, True), (Role.LEADER, False),
        (Role.REVIEWER, False), (Role.ENTERPRISE, False), (Role.SUPERVISOR, False),
    ])
    def test_roles(self, role, allowed):
        assert can_edit_subjects(_user(role)) is allowed

    def test_path_containment(self):
        assert path_contains("330400/330402/", "330400/330402/330402001/")
        assert path_contains("330400/330402/", "330400/330402/")
        assert not path_contains("330400/330402/", "330400/330411/")
        assert not path_contains(None, "330400/")
