"""Forms of the case pages: a move through the workflow (with the version the officer
saw, for optimistic locking) and the lead's details."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.cases.models import EvidenceKind, PartyKind, PenaltyCase
from fazhi.cases.rules import workflow
from fazhi.core.models import Role, User
from fazhi.inspection.models import EvidenceFile
from fazhi.subjects.models import ResponsiblePerson


def _date(small: bool = True) -> forms.DateInput:
    # ISO value: the browser's date picker needs it, whatever the display locale.
    css = "form-control form-control-sm" if small else "form-control"
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": css})


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(t.action, t.label) for t in workflow.TRANSITIONS],
                               widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), widget=_date())
    reason = forms.CharField(label=_("理由"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class CaseDetailsForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    violation_date = forms.DateField(
        label=_("违法行为发生（终了）日期"), required=False,
        widget=_date(small=False))
    handlers = forms.TypedMultipleChoiceField(
        label=_("承办人员"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("本机关执法人员，不得少于2人，须持有效执法证（《行政处罚法》第四十二条）"))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "version": case.version, "violation_date": case.violation_date,
            "handlers": list(case.handlers.values_list("pk", flat=True)),
        })
        super().__init__(*args, **kwargs)
        self.officers = {o.pk: o for o in User.objects.filter(
            agency=case.agency, role=Role.OFFICER, is_active=True).order_by("full_name")}
        self.fields["handlers"].choices = [(pk, o.display_name)
                                           for pk, o in self.officers.items()]

    def handler_users(self) -> list[User]:
        return [self.officers[pk] for pk in self.cleaned_data["handlers"]]


class PartyForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("当事人类别"), choices=PartyKind.choices,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    person = forms.TypedChoiceField(
        label=_("责任人员"), coerce=int, required=False, empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": case.version})
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in ResponsiblePerson.objects.filter(
            enterprise=case.enterprise).order_by("kind", "name")}
        self.fields["person"].choices = [("", _("— 单位当事人不选 —")), *[
            (pk, f"{p.name}（{p.get_kind_display()}）") for pk, p in self.people.items()]]

    def person_obj(self) -> ResponsiblePerson | None:
        return self.people.get(self.cleaned_data["person"])


def _text() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control form-control-sm"})


class EvidenceItemForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("证据种类"), choices=EvidenceKind.choices,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    name = forms.CharField(label=_("证据名称"), max_length=200, widget=_text())
    source = forms.CharField(label=_("来源"), max_length=200, widget=_text())
    proves = forms.CharField(label=_("证明对象"), max_length=500, widget=_text())
    collected_on = forms.DateField(label=_("收集日期"), widget=_date())
    file = forms.TypedChoiceField(
        label=_("检查证据文件"), coerce=int, required=False, empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": case.version,
                                      "collected_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.files_by_pk = {f.pk: f for f in case.inspection_evidence.all()}
        self.fields["file"].choices = [("", _("— 无 —")), *[
            (pk, f.original_name) for pk, f in self.files_by_pk.items()]]

    def file_obj(self) -> EvidenceFile | None:
        return self.files_by_pk.get(self.cleaned_data["file"])


class InvestigationReportForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    date = forms.DateField(label=_("报告日期"), widget=_date())
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(
        attrs={"rows": 3, "class": "form-control form-control-sm"}))
    proposal = forms.CharField(label=_("处理意见"), widget=forms.Textarea(
        attrs={"rows": 2, "class": "form-control form-control-sm"}))

    def __init__(self, *args: Any, case: PenaltyCase, **kwargs: Any) -> None:
        report = getattr(case, "investigation_report", None)
        kwargs.setdefault("initial", {
            "version": case.version,
            "date": report.date if report else timezone.localdate(),
            "facts": report.facts if report else "",
            "proposal": report.proposal if report else "",
        })
        super().__init__(*args, **kwargs)
