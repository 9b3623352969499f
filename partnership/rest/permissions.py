"""Who may do what through the API: anyone reads, only active staff write, and what they may
write is decided by partnership.permissions (the one home of the rules, shared with the admin),
before anything is saved. Anonymous clients are rate-limited."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from ..permissions import can_write, deletion_refused, refused_fields
from .errors import Conflict


class StaffWrites(permissions.BasePermission):
    """Anyone reads; only active staff write (and partnership.permissions decides what)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class AnonThrottle(AnonRateThrottle):
    """The anonymous rate (API_ANON_RATE), read when asked so that settings can change it."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


def check_model_permission(user, model, action):
    """The model permission the admin also requires (add_… or change_…), before reading the body."""
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise exceptions.PermissionDenied(
            _("You may not %(action)s %(things)s.") % {"action": action, "things": opts.verbose_name_plural}
        )


def check_write(user, old, new):
    """Refuse (403) before saving unless the user may write both the stored and the new record."""
    for state in (old, new):
        if state is not None and not can_write(user, state):
            raise exceptions.PermissionDenied(_("You may not change this record."))


def check_fields(user, old, new):
    """Refuse (403, naming each field) a change to a field the user may not write (FIELD_RULES)."""
    refused = refused_fields(user, old, new)
    if refused:
        raise exceptions.PermissionDenied({name: [reason] for name, reason in refused.items()})


def check_delete(user, obj):
    """Refuse deleting a record the user may not write (403) or that a published project uses (409)."""
    if not can_write(user, obj):
        raise exceptions.PermissionDenied(_("You may not change this record."))
    reason = deletion_refused(obj)
    if reason:
        raise Conflict(reason)
