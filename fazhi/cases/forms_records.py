"""Forms of the records each stage of a case makes (案件审核 to 复议诉讼), one per service
of `fazhi.cases.services`. Every form carries the case version the officer saw (hidden)
and names the record it is about by a hidden id limited to the case's own records, so
a tampered id is refused as an invalid choice. The forms only shape the input; the
services decide (role, handler, stage, the law) and refuse in Chinese."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.cases.models import (
    CaseParty,
    CreditRecord,
    CreditRepairApplication,
    DefenceStatement,
    ExemptGround,
    Outcome,
    PartyDecision,
    Payment,
    PaymentArrangement,
    PenaltyCase,
    Publicity,
    Remedy,
    ReviewConclusion,
    ReviewOpinion,
    Transfer,
)
from fazhi.cases.services.execution import SERVICE_METHODS
from fazhi.cases.services.review import ASSESS_FACTS
from fazhi.legal import engine
from fazhi.legal.api import FactsIn
from fazhi.legal.models import Stage
from fazhi.legal.rules.discretion import LIGHTER_OR_MITIGATED_FACTS
from fazhi.legal.views import MEASURE_LABELS, TIER_LABELS

_SELECT = {"class": "form-select form-select-sm"}
_CHECKS = {"class": "form-check-input"}


def _date() -> forms.DateInput:
    # ISO value: the browser's date picker needs it, whatever the display locale.
    return forms.DateInput(format="%Y-%m-%d",
                           attrs={"type": "date", "class": "form-control form-control-sm"})


def _text() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control form-control-sm"})


def _area(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control form-control-sm"})


def _day(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=_date())


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    """Yuan to the fen, as Decimal (never float)."""
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0,
                              required=required, widget=forms.NumberInput(attrs={
                                  "class": "form-control form-control-sm", "step": "0.01",
                                  "min": "0", "inputmode": "decimal"}))


def _choice(label: Any, choices: Any, **kw: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.Select(attrs=_SELECT),
                             **kw)


def _boxes(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False,
                                     widget=forms.CheckboxSelectMultiple(attrs=_CHECKS))


def _record(queryset: QuerySet) -> forms.ModelChoiceField:
    """A hidden reference to one of the case's own records."""
    return forms.ModelChoiceField(queryset=queryset, widget=forms.HiddenInput)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CaseRecordForm(forms.Form):
    """The version the officer saw (optimistic locking) and the case the form is for;
    the fields named in `dated` start at today. `key` tells apart the forms of one class
    on a page (one per party, decision ...): it goes into the element ids only, so the
    posted names stay the same."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    dated: tuple[str, ...] = ()

    def __init__(self, *args: Any, case: PenaltyCase, key: object = "", **kwargs: Any) -> None:
        initial = {"version": case.version,
                   **{name: timezone.localdate() for name in self.dated},
                   **kwargs.pop("initial", {})}
        kwargs.setdefault("auto_id", f"{type(self).__name__.lower()}{key}-%s")
        super().__init__(*args, initial=initial, **kwargs)
        self.case = case


# --- 案件审核 ---------------------------------------------------------------------------------

ASSESS_LABELS: dict[str, Any] = {
    **{name: FactsIn.model_fields[name].title for name in ASSESS_FACTS
       if name in FactsIn.model_fields},
    # 《行政处罚法》第五十八条第一款第（四）项 and 第五十七条第二款 (not facts of the API)
    "other_statutory": _("法律、法规规定应当进行法制审核的其他情形"),
    "major_violation": _("重大违法行为"),
}
LIGHTER_LABELS: dict[str, str] = {key: text for key, (text, *_rest)
                                  in LIGHTER_OR_MITIGATED_FACTS.items()}
CREDIT_SEVERITY_LABELS: dict[str, Any] = {"minor": _("轻微失信"), "general": _("一般失信"),
                                          "serious": _("严重失信")}


def item_measures(case: PenaltyCase) -> list[str]:
    """The kinds of penalty the case's items provide at any stage, in the engine's order
    (all of them when the catalogue lists none)."""
    found = {m for item in case.items.all() for stage in item.stage_penalties.all()
             for m in stage.measures}
    return [m for m in engine.MEASURES if m in found] or list(engine.MEASURES)


class ProposalForm(CaseRecordForm):
    """处理意见 for one party → `services.party_decision_propose`."""

    party = forms.ModelChoiceField(queryset=CaseParty.objects.none(), widget=forms.HiddenInput)
    outcome = _choice(_("处理结果"), Outcome.choices)
    item_code = _choice(_("适用执法事项"), (), required=False)
    stage = _choice(_("违法阶段"), [(s, Stage(s).label) for s in (*engine.STAGES, Stage.ACCIDENT)])
    measures = _boxes(_("处罚种类"), ())
    fine = _money(_("罚款（元）"), required=False)
    confiscation = _money(_("没收违法所得、非法财物（元）"), required=False)
    tier = _choice(_("裁量阶次"), [("", _("— 不适用裁量基准 —")), *TIER_LABELS.items()],
                   required=False)
    lighter = _boxes(_("从轻、减轻情节"), list(LIGHTER_LABELS.items()))
    deviation_reason = forms.CharField(label=_("偏离裁量基准的理由"), required=False,
                                       max_length=2000, widget=_area())
    exempt_ground = _choice(_("不予处罚情形"), [("", _("— 无 —")), *ExemptGround.choices],
                            required=False)
    waived_amount = _money(_("免除罚款（元，不填按引擎建议额）"), required=False)
    income_prev_year = _money(_("主要负责人上一年年收入（元，事故案件按比例处罚时填写）"),
                              required=False)
    credit_severity = _choice(_("失信程度"), list(CREDIT_SEVERITY_LABELS.items()))
    reason = forms.CharField(label=_("处理理由"), max_length=4000, widget=_area(3))

    def __init__(self, *args: Any, case: PenaltyCase, party: CaseParty | None = None,
                 decision: PartyDecision | None = None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {"fine": Decimal(0), "confiscation": Decimal(0),
                                   "credit_severity": "general"}
        if party is not None:
            initial["party"] = party.pk
        if decision is not None:
            initial.update({
                "outcome": decision.outcome,
                "item_code": decision.item.code if decision.item_id else "",
                "stage": decision.stage, "measures": decision.measures,
                "fine": decision.fine, "confiscation": decision.confiscation,
                "tier": decision.tier, "deviation_reason": decision.deviation_reason,
                "exempt_ground": decision.exempt_ground,
                "waived_amount": decision.waived_amount or None,
                "credit_severity": decision.credit_severity, "reason": decision.reason})
        super().__init__(*args, case=case, key=party.pk if party else "", initial=initial,
                         **kwargs)
        self.fields["party"].queryset = case.parties.all()
        items = list(case.items.all())
        self.fields["item_code"].choices = [
            ("", _("— 未选择 —")), *[(item.code, f"{item.code} {item.name}") for item in items]]
        if decision is None and len(items) == 1:  # the case's one item, as a start
            self.fields["item_code"].initial = items[0].code
        self.fields["measures"].choices = [(m, MEASURE_LABELS.get(m, m))
                                           for m in item_measures(case)]

    def lighter_facts(self) -> dict[str, bool]:
        return {key: True for key in self.cleaned_data["lighter"]}


class AssessForm(CaseRecordForm):
    """The facts the handler states, for the engine → `services.case_assess`."""

    facts = _boxes(_("案件情形"), list(ASSESS_LABELS.items()))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        stated = (case.assessment or {}).get("facts") or {}
        super().__init__(*args, case=case,
                         initial={"facts": [k for k, v in stated.items() if v]}, **kwargs)
        # ordered as the service lists them
        self.fields["facts"].choices = [(k, ASSESS_LABELS[k]) for k in ASSESS_FACTS]

    def stated(self) -> dict[str, bool]:
        chosen = set(self.cleaned_data["facts"])
        return {key: key in chosen for key in ASSESS_FACTS}


# --- 法制审核 -------------------------------------------------------------------------------

class OpinionForm(CaseRecordForm):
    issue = forms.CharField(label=_("问题"), max_length=2000, widget=_area())
    law = forms.CharField(label=_("法律依据"), max_length=2000, widget=_area())
    suggestion = forms.CharField(label=_("审核建议"), max_length=2000, widget=_area())


class ConclusionForm(CaseRecordForm):
    dated = ("on",)
    conclusion = _choice(_("审核结论"), ReviewConclusion.choices)
    summary = forms.CharField(label=_("审核意见（退回补充调查的写明事项）"), required=False,
                              max_length=4000, widget=_area())
    on = _day(_("审核日期"))


class AnswerForm(CaseRecordForm):
    dated = ("on",)
    opinion = forms.ModelChoiceField(queryset=ReviewOpinion.objects.none(),
                                     widget=forms.HiddenInput)
    answer = forms.CharField(label=_("承办人回复"), max_length=4000, widget=_area())
    on = _day(_("回复日期"))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["opinion"].queryset = ReviewOpinion.objects.filter(review__case=case)


# --- 集体讨论 -------------------------------------------------------------------------------

_NAME_SEPARATOR = re.compile(r"[：:]")


class DiscussionForm(CaseRecordForm):
    dated = ("date",)
    date = _day(_("讨论日期"))
    host = forms.CharField(label=_("主持人"), max_length=60, widget=_text())
    attendees = forms.CharField(label=_("出席人员（每行一人）"), widget=_area(3))
    opinions = forms.CharField(label=_("讨论意见（每行“姓名：意见”）"), widget=_area(3))
    conclusion = forms.CharField(label=_("讨论结论"), max_length=4000, widget=_area())

    def clean_attendees(self) -> list[str]:
        return _lines(self.cleaned_data["attendees"])

    def clean_opinions(self) -> list[dict[str, str]]:
        spoken = []
        for line in _lines(self.cleaned_data["opinions"]):
            parts = _NAME_SEPARATOR.split(line, maxsplit=1)
            if len(parts) != 2:
                raise ValidationError(_("“%(line)s”不是“姓名：意见”的格式") % {"line": line})
            spoken.append({"name": parts[0].strip(), "opinion": parts[1].strip()})
        return spoken


# --- 告知、陈述申辩、听证 -----------------------------------------------------------------------

class NoticeServedForm(CaseRecordForm):
    dated = ("served_on",)
    served_on = _day(_("送达日期"))


class StatementForm(CaseRecordForm):
    dated = ("received_on",)
    party = forms.ModelChoiceField(label=_("当事人"), queryset=CaseParty.objects.none(),
                                   widget=forms.Select(attrs=_SELECT))
    received_on = _day(_("收到日期"))
    waived = forms.BooleanField(label=_("当事人明确放弃陈述申辩"), required=False,
                                widget=forms.CheckboxInput(attrs=_CHECKS))
    content = forms.CharField(label=_("陈述申辩内容"), required=False, max_length=8000,
                              widget=_area())

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["party"].queryset = case.parties.all()
        self.fields["party"].empty_label = None


class StatementReviewForm(CaseRecordForm):
    statement = forms.ModelChoiceField(queryset=DefenceStatement.objects.none(),
                                       widget=forms.HiddenInput)
    review = forms.CharField(label=_("复核意见"), max_length=4000, widget=_area())
    adopted = forms.TypedChoiceField(
        label=_("是否采纳"), coerce=lambda v: v == "yes",
        choices=[("no", _("不予采纳")), ("yes", _("意见成立，予以采纳"))],
        widget=forms.Select(attrs=_SELECT))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["statement"].queryset = case.statements.all()


class HearingScheduleForm(CaseRecordForm):
    dated = ("notice_sent_on",)
    notice_sent_on = _day(_("听证通知日期"))
    hearing_date = _day(_("听证日期"))
    place = forms.CharField(label=_("听证地点"), max_length=200, widget=_text())
    host = forms.CharField(label=_("主持人"), max_length=60, widget=_text())


class HearingReportForm(CaseRecordForm):
    dated = ("on",)
    record = forms.CharField(label=_("听证笔录"), max_length=20000, widget=_area(3))
    report = forms.CharField(label=_("听证报告"), max_length=20000, widget=_area(3))
    on = _day(_("日期"))


# --- 决定的送达与执行 ---------------------------------------------------------------------------

class _DecisionForm(CaseRecordForm):
    decision = forms.ModelChoiceField(queryset=PartyDecision.objects.none(),
                                      widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: PenaltyCase, decision: PartyDecision | None = None,
                 **kwargs: Any) -> None:
        initial = {"decision": decision.pk} if decision is not None else {}
        super().__init__(*args, case=case, key=decision.pk if decision else "",
                         initial=initial, **kwargs)
        self.fields["decision"].queryset = PartyDecision.objects.filter(party__case=case)


class ServiceForm(_DecisionForm):
    dated = ("served_on",)
    served_on = _day(_("送达日期"))
    method = _choice(_("送达方式"), [(m, m) for m in SERVICE_METHODS])
    recipient = forms.CharField(label=_("签收人"), required=False, max_length=60,
                                widget=_text())


class PaymentForm(_DecisionForm):
    dated = ("paid_on",)
    kind = _choice(_("款项"), Payment.Kind.choices)
    amount = _money(_("金额（元）"))
    paid_on = _day(_("缴款日期"))
    receipt = forms.CharField(label=_("缴款凭证号"), required=False, max_length=60,
                              widget=_text())


class ArrangementForm(_DecisionForm):
    dated = ("on",)
    kind = _choice(_("方式"), PaymentArrangement.Kind.choices)
    reason = forms.CharField(label=_("申请理由（确有经济困难的情况）"), max_length=4000,
                             widget=_area())
    schedule = forms.CharField(label=_("缴纳计划（每行“期限 金额”，如 2024-08-01 10000.00）"),
                               widget=_area(3))
    on = _day(_("批准日期"))

    def clean_schedule(self) -> list[tuple[datetime.date, Decimal]]:
        entries = []
        for line in _lines(self.cleaned_data["schedule"]):
            parts = re.split(r"[\s,，]+", line)
            try:
                due = datetime.date.fromisoformat(parts[0])
                amount = forms.DecimalField(max_digits=14, decimal_places=2).clean(parts[1])
            except (ValueError, IndexError, ValidationError):
                raise ValidationError(_("“%(line)s”不是“期限 金额”的格式")
                                      % {"line": line}) from None
            entries.append((due, amount))
        return entries


class CourtApplyForm(_DecisionForm):
    dated = ("applied_on",)
    applied_on = _day(_("申请日期"))
    court = forms.CharField(label=_("人民法院"), max_length=100, widget=_text())


class CourtConcludeForm(_DecisionForm):
    dated = ("concluded_on",)
    concluded_on = _day(_("执行终结日期"))
    outcome = forms.CharField(label=_("执行结果"), max_length=4000, widget=_area())


# --- 公示与信用、复议诉讼 --------------------------------------------------------------------

class PublishForm(CaseRecordForm):
    dated = ("on",)
    publicity = forms.ModelChoiceField(queryset=Publicity.objects.none(),
                                       widget=forms.HiddenInput)
    on = _day(_("公示日期"))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["publicity"].queryset = Publicity.objects.filter(
            decision__party__case=case)


class RepairApplyForm(CaseRecordForm):
    credit = forms.ModelChoiceField(queryset=CreditRecord.objects.none(),
                                    widget=forms.HiddenInput)
    statement = forms.CharField(label=_("申请理由及整改情况"), max_length=8000, widget=_area(3))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["credit"].queryset = CreditRecord.objects.filter(
            decision__party__case=case)


class RepairDecideForm(CaseRecordForm):
    dated = ("on",)
    application = forms.ModelChoiceField(queryset=CreditRepairApplication.objects.none(),
                                         widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("审核结果"), coerce=lambda v: v == "yes",
        choices=[("yes", _("准予修复")), ("no", _("不予修复"))],
        widget=forms.Select(attrs=_SELECT))
    reason = forms.CharField(label=_("审核理由"), max_length=4000, widget=_area())
    on = _day(_("审核日期"))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["application"].queryset = CreditRepairApplication.objects.filter(
            credit__decision__party__case=case)


class RemedyForm(_DecisionForm):
    kind = _choice(_("类别"), Remedy.Kind.choices)
    filed_on = _day(_("申请（起诉）日期"))
    body = forms.CharField(label=_("复议机关或人民法院"), max_length=100, widget=_text())


class RemedyConcludeForm(CaseRecordForm):
    dated = ("decided_on",)
    remedy = forms.ModelChoiceField(queryset=Remedy.objects.none(), widget=forms.HiddenInput)
    result = _choice(_("结果"), ())
    decided_on = _day(_("决定（判决）日期"))

    def __init__(self, *args: Any, case: PenaltyCase, remedy: Remedy | None = None,
                 **kwargs: Any) -> None:
        initial = {"remedy": remedy.pk} if remedy is not None else {}
        super().__init__(*args, case=case, key=remedy.pk if remedy else "", initial=initial,
                         **kwargs)
        self.fields["remedy"].queryset = Remedy.objects.filter(decision__party__case=case)
        self.fields["result"].choices = [(v, label) for v, label in Remedy.Result.choices
                                         if v != Remedy.Result.PENDING]


# --- 移送 -------------------------------------------------------------------------------------

class TransferForm(CaseRecordForm):
    dated = ("on",)
    kind = _choice(_("移送类别"), Transfer.Kind.choices)
    receiver = forms.CharField(label=_("接收机关"), max_length=100, widget=_text())
    persons = forms.CharField(label=_("移送人员（每行一人）"), required=False, widget=_area())
    facts = forms.CharField(label=_("移送事由"), max_length=8000, widget=_area())
    on = _day(_("移送日期"))

    def clean_persons(self) -> list[str]:
        return _lines(self.cleaned_data["persons"])


class TransferAnswerForm(CaseRecordForm):
    dated = ("answered_on",)
    transfer = forms.ModelChoiceField(queryset=Transfer.objects.none(),
                                      widget=forms.HiddenInput)
    answer = _choice(_("接收机关回复"), [(v, label) for v, label in Transfer.Answer.choices
                                       if v != Transfer.Answer.PENDING])
    answered_on = _day(_("回复日期"))
    outcome = forms.CharField(label=_("处理结果"), required=False, max_length=4000,
                              widget=_area())

    def __init__(self, *args: Any, case: PenaltyCase, transfer: Transfer | None = None,
                 **kwargs: Any) -> None:
        initial = {"transfer": transfer.pk} if transfer is not None else {}
        super().__init__(*args, case=case, key=transfer.pk if transfer else "",
                         initial=initial, **kwargs)
        self.fields["transfer"].queryset = case.transfers.all()


# --- 中止、恢复、延期 ----------------------------------------------------------------------------

class SuspendForm(CaseRecordForm):
    dated = ("on",)
    reason = forms.CharField(label=_("中止理由"), max_length=4000, widget=_area())
    on = _day(_("中止日期"))


class ResumeForm(CaseRecordForm):
    dated = ("on",)
    on = _day(_("恢复日期"))


class ExtendForm(CaseRecordForm):
    dated = ("on",)
    reason = forms.CharField(label=_("延期理由"), max_length=4000, widget=_area())
    on = _day(_("批准日期"))
