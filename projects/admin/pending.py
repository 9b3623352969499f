"""Editors' changes to published content in the admin: held, shown as a difference, reviewed.

The rule lives in partnership/pending.py; this is its admin face. An editor's save of a live
record (and of a live update or document in the project form's inlines) becomes the record's
pending change; their form starts from what they proposed. The change page shows the change
field by field against the live version, with Approve and Return for the secretariat, through
partnership/workflow.py. Editors may not delete live records.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from partnership import pending
from partnership.workflow import may, move_of, reason_of, transition

REVIEW_ACTIONS = ("approve", "return")


def stored(obj):
    return type(obj)._default_manager.get(pk=obj.pk)


def unchanged_as_stored(candidate, live):
    """Give `candidate` the stored value of every field the form did not really change: a text sent
    back empty where the record stores NULL (a translation nobody has written yet), an amount
    typed as 1000000 where 1000000.00 is stored. Otherwise an untouched form held a change."""
    for field in candidate._meta.concrete_fields:
        new, old = getattr(candidate, field.attname), getattr(live, field.attname)
        if (old is None and new == "") or (old is not None and new is not None and new == old):
            setattr(candidate, field.attname, old)


def hold(record, user, m2m=None):
    """Propose the user's change of the live `record`; True when there was anything to propose."""
    unchanged_as_stored(record, stored(record))
    return pending.propose(record=record, candidate=record, user=user, m2m=m2m) is not None


class PendingChangeAdminMixin:
    """Hold an editor's save of a live record as its pending change; review it on the change page."""

    def get_urls(self):
        opts = self.opts
        view = self.admin_site.admin_view(self.pending_view)
        name = f"{opts.app_label}_{opts.model_name}_pending"
        return [path("<path:object_id>/pending/<slug:action>/", view, name=name), *super().get_urls()]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        proposal = pending.current(obj) if obj is not None and pending.held(request.user, obj) else None
        if proposal is None:
            return form
        # The editor goes on from what they proposed, not from the live version.
        pending.overlay(obj, proposal)
        many = {name: value for name, value in proposal.values.items() if name in form.base_fields}

        class ProposedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.initial.update(many)

        return ProposedForm

    def save_model(self, request, obj, form, change):
        if not (change and pending.held(request.user, stored(obj))):
            return super().save_model(request, obj, form, change)
        names = {field.name for field in obj._meta.many_to_many}
        many = {name: value for name, value in form.cleaned_data.items() if name in names}
        request.pending_held = True
        request.pending_proposed = hold(obj, request.user, many)

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "pending_held", False):
            return super().save_related(request, form, formsets, change)
        # Many-to-many choices wait with the rest; tasks and other inline rows go on as usual.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_or_hold(self, request, instance):
        """Save an inline row, or hold it as a pending change when it is live and the user an editor."""
        if instance.pk is not None and pending.held(request.user, stored(instance)):
            if hold(instance, request.user):
                messages.warning(request, f"{instance}: {pending.HELD}")
        else:
            instance.save()

    def log_change(self, request, obj, message):
        if getattr(request, "pending_proposed", False):
            message = str(_("Proposed a change for the secretariat's approval."))
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        # Held with nothing to propose (only inline rows changed, say): the usual answer.
        if getattr(request, "pending_proposed", False):
            messages.warning(request, pending.HELD)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or pending.may_delete(request.user, obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        proposal = pending.latest(obj) if obj is not None and obj.pk and pending.is_live(obj) else None
        if proposal is not None:
            context["pending_change"] = {
                "change": proposal,
                "rows": pending.differences(proposal, stored(obj)),
                "reviewable": may(request.user, proposal, "approve"),
                "urls": {action: self.pending_url(obj, action) for action in REVIEW_ACTIONS},
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def pending_url(self, obj, action):
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_pending", args=[obj.pk, action])

    def pending_view(self, request, object_id, action):
        """POST …/pending/approve/ or …/pending/return/ (with `comment`), then back to the record."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None or action not in REVIEW_ACTIONS:
            raise Http404
        proposal = pending.current(obj)
        if proposal is None:
            messages.error(request, _("There is no change waiting for approval."))
        else:
            try:
                transition(proposal, action, user=request.user, comment=request.POST.get("comment", ""))
            except ValidationError as exc:
                messages.error(request, reason_of(exc))
            else:
                done = move_of(proposal, action).done
                messages.success(request, _("%(object)s: %(state)s.") % {"object": obj, "state": done})
        opts = self.opts
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))


class LiveRowsFormSet(BaseInlineFormSet):
    """An inline formset that refuses an editor's deletion of a live row (set `user` on the class)."""

    user = None

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            record = form.instance
            if record.pk is not None and not pending.may_delete(self.user, stored(record)):
                raise ValidationError(
                    _("%(object)s is published: only the secretariat may delete it.") % {"object": record}
                )
