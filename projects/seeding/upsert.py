"""Idempotent loading: create a record, update it where it differs, or leave it alone."""

from dataclasses import dataclass, field


@dataclass
class Tally:
    """What a load did, so that a second run can say it changed nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    changed_labels: list = field(default_factory=list)

    @property
    def changed(self):
        return self.created + self.updated

    def summary(self, what):
        if not self.changed:
            return f"{what}: all {self.unchanged} records already up to date; nothing changed."
        return f"{what}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged."


def upsert(tally, model, lookup, values=None, m2m=None):
    """Make the record found by `lookup` hold `values` and the many-to-many sets in `m2m`.

    Validates with full_clean() before saving, so seed data obeys the same rules as staff input.
    """
    values = values or {}
    m2m = m2m or {}
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup, **values)
        dirty = True
    else:
        dirty = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                dirty = True
    m2m_dirty = {
        name: items
        for name, items in m2m.items()
        if created or {item.pk for item in items} != set(getattr(obj, name).values_list("pk", flat=True))
    }
    if dirty:
        obj.full_clean()
        obj.save()
    for name, items in m2m_dirty.items():
        getattr(obj, name).set(items)
    if created:
        tally.created += 1
    elif dirty or m2m_dirty:
        tally.updated += 1
        tally.changed_labels.append(str(obj))
    else:
        tally.unchanged += 1
    return obj
