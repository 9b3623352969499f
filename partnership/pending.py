"""Review of changes to published content: an editor's change waits for the secretariat.

Once a record is live (a published project, progress update or document: the `live` states of
its kind in partnership/workflow.py), what an editor changes in the fields the public sees is
not saved but held as one PendingChange per record; a second edit updates it. The public keeps
the live version until the secretariat approves the change (its values are then checked with
full_clean() and saved, the history naming approver and author) or returns it with a comment.
The secretariat's own saves go live. Records without a publication workflow (tasks,
participants, places) are the editors' working records and always go live.
"""

import contextlib
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from .models import PendingChange
from .permissions import can_publish, scoped
from .workflow import KINDS, kind_of, save_with_history

HELD = _("Your change waits for the secretariat's approval; the public sees the published version until then.")


def is_live(record):
    """Does the public see `record` as it is stored now?"""
    kind = KINDS.get(record._meta.concrete_model)
    return kind is not None and kind.state(record) in kind.live


def held(user, record):
    """Would `user`'s change to `record` (as stored) wait for review instead of going live?"""
    return record.pk is not None and is_live(record) and not can_publish(user)


def may_delete(user, record):
    """Editors may not delete live records: that would unpublish them without the secretariat."""
    return not held(user, record)


def reviewed_fields(model):
    """The fields whose changes are reviewed: editable ones, less the workflow's own fields.

    A translated field counts by its per-language fields (title_en, title_ru, …).
    """
    kind = kind_of(model)
    skip = {kind.state_field, kind.comment_field}
    with contextlib.suppress(NotRegistered):
        skip |= set(translator.get_options_for_model(model).all_fields)
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [f for f in fields if f.editable and not f.primary_key and f.name not in skip]


def _plain(value):
    """A value as it is stored in the JSON column (dates and decimals as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def value_of(field, record):
    if field.many_to_many:
        return sorted(getattr(record, field.name).values_list("pk", flat=True)) if record.pk else []
    value = field.value_from_object(record)
    if isinstance(field, models.FileField):
        return value.name or ""
    return _plain(value)


def changes_of(record):
    """Records' pending and reviewed changes, newest first."""
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    return PendingChange.objects.filter(content_type=content_type, object_id=record.pk)


def current(record):
    """The change of `record` waiting for approval, or None."""
    return changes_of(record).filter(state=PendingChange.State.PENDING).select_related("author").first()


def latest(record):
    """What the record's editors should see: the change waiting, or the last one returned."""
    change = changes_of(record).select_related("author", "reviewer").first()
    return change if change is not None and change.state != PendingChange.State.APPROVED else None


def waiting(user):
    """The changes waiting for approval on the records `user` may see (partnership.permissions)."""
    records = Q(pk__in=[])
    for model, kind in KINDS.items():
        if kind.live and model is not PendingChange:
            content_type = ContentType.objects.get_for_model(model)
            records |= Q(
                content_type=content_type, object_id__in=scoped(user, model._default_manager.all()).values("pk")
            )
    return PendingChange.objects.filter(records, state=PendingChange.State.PENDING)


def overlay(record, change):
    """Show the proposed plain values on `record` in memory (the editor's form starts from them)."""
    if change is None:
        return record
    for name, value in change.values.items():
        field = record._meta.get_field(name)
        if not field.many_to_many:
            setattr(record, field.attname, field.to_python(value))
    return record


def unchanged(new, old):
    """Whether a value sent back is the stored one as a form or client writes it: a blank text where
    nothing is stored (a translation nobody has written yet), 1000000 for a stored 1000000.00."""
    return (old is None and new == "") or (old is not None and new is not None and new == old)


@transaction.atomic
def propose(*, record, candidate, user, m2m=None):
    """Hold what `candidate` changes in the live `record` as its pending change; None if nothing.

    `m2m` maps many-to-many field names to the objects sent; names not sent keep what the
    pending change already proposes for them.
    """
    stored = type(record)._default_manager.select_for_update().get(pk=record.pk)
    change = current(stored)
    proposed = dict(change.values) if change else {}
    values = {}
    for field in reviewed_fields(type(record)):
        if field.many_to_many:
            if m2m is not None and field.name in m2m:
                proposed[field.name] = sorted(obj.pk for obj in m2m[field.name])
            if field.name not in proposed:
                continue
            new = proposed[field.name]
        else:
            if isinstance(field, models.FileField):
                field.pre_save(candidate, False)  # stores a new upload, so its name can be held
            if unchanged(field.value_from_object(candidate), field.value_from_object(stored)):
                continue
            new = value_of(field, candidate)
        if new != value_of(field, stored):
            values[field.name] = new
    if not values:
        if change is not None:
            change.delete()
        return None
    if change is None:
        change = PendingChange(content_type=ContentType.objects.get_for_model(stored), object_id=stored.pk)
    change.values, change.author = values, user
    change.save()
    return change


def apply_values(change, *, user):
    """Approve: the proposed values, checked with full_clean(), become the live record."""
    model = change.content_type.model_class()
    record = model._default_manager.select_for_update().get(pk=change.object_id)
    many = {}
    for name, value in change.values.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        else:
            setattr(record, field.attname, field.to_python(value))
    record.full_clean()
    author = change.author.get_username() if change.author else _("a deleted user")
    save_with_history(record, user=user, reason=str(_("Approved change by %(author)s") % {"author": author}))
    for name, pks in many.items():
        getattr(record, name).set(pks)
    return record


def _shown(field, value):
    """A value as a person reads it: names for references and choices."""
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        return ", ".join(sorted(str(obj) for obj in field.related_model._default_manager.filter(pk__in=value)))
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def differences(change, record=None):
    """The change field by field against the live record: label, old and new, as read."""
    record = record if record is not None else change.record
    rows = []
    for name, value in change.values.items():
        field = record._meta.get_field(name)
        old = value_of(field, record)
        rows.append(
            {
                "field": name,
                "label": str(field.verbose_name),
                "old": _shown(field, old),
                "new": _shown(field, value),
                "changed": old != value,
            }
        )
    return rows
