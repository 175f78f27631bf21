"""Django admin edits are state changes too: record them in the event record.

The admin's change and delete views already run inside a transaction, so the event
commits or rolls back with the edit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict

from fazhi.core.services.events import record_event, record_events


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if hasattr(value, "read"):  # uploaded files: their name only
        return getattr(value, "name", None)
    return value


def _snapshot(obj: Model, fields: list[str] | None = None) -> dict[str, Any]:
    data = model_to_dict(obj, fields=fields)
    data.pop("password", None)  # never put credentials in the record
    return {key: _plain(value) for key, value in data.items()}


class EventRecordingAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions write `admin.created/changed/deleted`."""

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = list(form.changed_data) if change else None
            record_event(
                actor=request.user, obj=obj,
                action="admin.changed" if change else "admin.created",
                payload={"fields": changed, "values": _snapshot(obj, changed)},
            )

    def save_formset(self, request, form, formset, change) -> None:
        """Inline rows (a bureau's departments, an officer's certificates) too."""
        with transaction.atomic():
            # Deleted rows lose their pk when deleted: take their keys first.
            doomed = [((f.instance._meta.label_lower, str(f.instance.pk)),
                       "admin.deleted", {"values": _snapshot(f.instance)})
                      for f in formset.deleted_forms if f.instance.pk is not None]
            super().save_formset(request, form, formset, change)
            entries = [(obj, "admin.created", {"values": _snapshot(obj)})
                       for obj in formset.new_objects]
            entries += [(obj, "admin.changed", {"fields": fields,
                                                "values": _snapshot(obj, fields)})
                        for obj, fields in formset.changed_objects]
            record_events(actor=request.user, entries=[*entries, *doomed])

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            record_event(actor=request.user, obj=obj, action="admin.deleted",
                         payload={"values": _snapshot(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            record_events(actor=request.user, entries=[
                (obj, "admin.deleted", {"values": _snapshot(obj)}) for obj in queryset])
            super().delete_queryset(request, queryset)
