"""Writes of the commission side that span several records.

A directive's follow-up entries and its status are kept together here: the admin's inline and
the API both save follow-ups through `save_follow_ups`, so the rule "the latest entry that sets a
status wins" lives in one place and runs in the same transaction as the entries themselves.
"""

from django.db import transaction

from .models import Directive, DirectiveFollowUp


def status_from_follow_ups(directive):
    """The status the directive's latest status-changing follow-up (by date, then entry) sets, or None."""
    return (
        DirectiveFollowUp.objects.filter(directive=directive)
        .exclude(status_after="")
        .order_by("-date", "-pk")
        .values_list("status_after", flat=True)
        .first()
    )


@transaction.atomic
def save_follow_ups(*, directive, saved=(), deleted=(), user=None, reason=None):
    """Save and delete follow-up entries of `directive`, then set its status from the latest one.

    Entries must already have passed full_clean(). Returns the directive, its status updated
    (kept as it was when no remaining entry sets a status).
    """
    for entry in deleted:
        entry._history_user = user
        entry.delete()
    for entry in saved:
        entry.directive = directive
        entry._history_user = user
        if reason:
            entry._change_reason = reason
        entry.save()
    status = status_from_follow_ups(directive)
    if status and status != directive.status:
        # Read the stored row, so that an unsaved change made elsewhere is not written with it.
        stored = Directive.objects.select_for_update().get(pk=directive.pk)
        stored.status = status
        stored._history_user = user
        stored._change_reason = reason or "Follow-up entry"
        stored.save(update_fields=["status", "updated"])
        directive.status = status
    return directive
