"""Forms of the case pages: a move through the workflow (with the version the officer
saw, for optimistic locking) and the lead's details."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.cases.models import PenaltyCase
from fazhi.cases.rules import workflow
from fazhi.core.models import Role, User


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(t.action, t.label) for t in workflow.TRANSITIONS],
                               widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(
        format="%Y-%m-%d", attrs={"type": "date", "class": "form-control form-control-sm"}))
    reason = forms.CharField(label=_("理由"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class CaseDetailsForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    violation_date = forms.DateField(
        label=_("违法行为发生（终了）日期"), required=False,
        widget=forms.DateInput(format="%Y-%m-%d",
                               attrs={"type": "date", "class": "form-control"}))
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
