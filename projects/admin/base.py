"""What every admin of the portfolio shares: scoping by partnership/permissions.py and the workflow.

What a user sees and may change is decided in one place, partnership/permissions.py, which the API
asks too: lists, search and autocomplete show only `scoped()` rows; opening or posting to a record
outside them is refused with 403; every save asks `can_write()` about the record as it will be
stored. Publication goes through partnership/workflow.py.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from partnership.admin import FieldRulesMixin, FileTransferMixin, badge
from partnership.models import WorkingGroup
from partnership.permissions import (
    EDITOR_READS,
    GROUP_PATHS,
    can_publish,
    can_view,
    can_write,
    editable_working_groups,
    is_secretariat,
    locked_fields,
    scoped,
)
from partnership.workflow import apply_to_each, available, move_of, reason_of, transition

from .pending import LiveRowsFormSet, PendingChangeAdminMixin

# --- permission plumbing shared by every admin of this app ----------------------------------------


def limit_choices(db_field, request, kwargs):
    """Offer in a foreign-key field only what the user may attach records to."""
    remote = db_field.remote_field.model
    if remote is WorkingGroup:
        kwargs["queryset"] = editable_working_groups(request.user)
        if not is_secretariat(request.user):
            # An editor's project must stay in one of their groups, or it would vanish from view.
            kwargs["required"] = True
    elif remote._meta.model_name in GROUP_PATHS or remote._meta.model_name in EDITOR_READS:
        kwargs["queryset"] = scoped(request.user, remote._default_manager.all())
    return kwargs


class ScopedAdminMixin(PendingChangeAdminMixin):
    """Rows, pages and writes limited to what partnership/permissions.py allows the user.

    Saves and deletes of published records by editors follow partnership/pending.py.
    """

    def get_queryset(self, request):
        return scoped(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self._exists(object_id, from_field):
            # Another working group's record: refuse openly rather than pretend it is gone.
            raise PermissionDenied
        return obj

    def _exists(self, object_id, from_field):
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            value = field.to_python(object_id)
        except ValidationError:
            return False
        return self.model._default_manager.filter(**{field.attname: value}).exists()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Judge a revert by the record as it now stands, not by the old version: an editor may
        # not pull back a project that has since moved to another group.
        self._check_ids(object_id, version_id)
        current = self.get_object(request, unquote(object_id))
        if current is None and not is_secretariat(request.user):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or can_write(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or can_write(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **limit_choices(db_field, request, kwargs))

    #: Fields only the publication workflow changes: never a form, an import or a revert.
    workflow_fields = ()

    def save_model(self, request, obj, form, change):
        self.keep_protected_fields(request, obj)
        # The record as it will be stored: an editor cannot move it into another group's hands.
        if not can_write(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def keep_protected_fields(self, request, obj):
        """Undo what a form or a revert to an old version did to workflow fields and to fields the
        user's role may not write (partnership.permissions.FIELD_RULES)."""
        keep = [*self.workflow_fields, *locked_fields(request.user, self.model)]
        if not keep:
            return
        stored = type(obj)._default_manager.filter(pk=obj.pk).values(*keep).first() if obj.pk else None
        for name in keep:
            setattr(obj, name, stored[name] if stored else obj._meta.get_field(name).get_default())


class ScopedFileTransferMixin(FileTransferMixin):
    def has_import_permission(self, request):
        # An import may touch any working group's rows, so only the secretariat imports.
        return is_secretariat(request.user) and super().has_import_permission(request)


class ScopedInlineMixin(FieldRulesMixin):
    extra = 0
    show_change_link = True
    formset = LiveRowsFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **limit_choices(db_field, request, kwargs))


def working_group_filter(path):
    """A list filter by working group offering only the groups whose records the user sees."""

    class WorkingGroupFilter(admin.SimpleListFilter):
        title = _("working group")
        parameter_name = "group"

        def lookups(self, request, model_admin):
            groups = editable_working_groups(request.user).order_by("order", "name")
            return [(str(group.pk), str(group)) for group in groups]

        def queryset(self, request, queryset):
            if self.value() and self.value().isdigit():
                return queryset.filter(**{f"{path}__pk": int(self.value())})
            return queryset

    return WorkingGroupFilter


class StaleFilter(admin.SimpleListFilter):
    title = _("progress updates")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("No update for %(days)d days") % {"days": settings.STALE_UPDATE_DAYS})]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.without_recent_update()
        return queryset


def main_language(name):
    """The field of `name` in the default language, which every record must have."""
    return f"{name}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"


def translation_fieldsets(*names):
    """One folded section per other site language, so the form opens on the main language."""
    return [
        (
            format_lazy("{}: {}", _("Translation"), label),
            {"fields": [f"{name}_{code}" for name in names], "classes": ["collapse"]},
        )
        for code, label in settings.LANGUAGES
        if code != settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    ]


def publication_badge(obj):
    return badge(obj.get_publication_display(), obj.publication)


def confidence_badge(obj):
    return badge(obj.get_confidence_display(), obj.confidence.replace("_", "-"))


def report(request, done, refused, state):
    """Tell the user what a bulk action did and, row by row, what it refused and why."""
    for obj in done:
        messages.success(request, _("%(object)s: %(state)s.") % {"object": obj, "state": state})
    for obj, reason in refused:
        messages.error(request, f"{obj}: {reason}")


# Change-form buttons of the workflow's steps, in the table's order.
WORKFLOW_BUTTONS = {
    "submit": _("Save and submit for publication"),
    "publish": _("Save and publish"),
    "return": _("Save and return with the review comment"),
    "unpublish": _("Save and unpublish"),
}


class WorkflowAdminMixin:
    """Publication buttons on the change form and bulk actions, all through partnership/workflow.py."""

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def workflow_buttons(self, request, obj):
        if obj is None or obj.pk is None:
            return []
        return [{"name": f"_{action}", "label": WORKFLOW_BUTTONS[action]} for action in available(request.user, obj)]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Refuse a forged secretariat button before anything is saved.
        secretariat_buttons = ("_publish", "_return", "_unpublish")
        pressed = request.method == "POST" and any(name in request.POST for name in secretariat_buttons)
        if pressed and not can_publish(request.user):
            raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_buttons"] = self.workflow_buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        for action in WORKFLOW_BUTTONS:
            if f"_{action}" in request.POST:
                self.run_workflow(request, obj, action)
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def run_workflow(self, request, obj, action):
        try:
            transition(obj, action, user=request.user, comment=obj.review_comment)
        except ValidationError as exc:
            messages.error(request, reason_of(exc))
        else:
            done = move_of(obj, action).done
            messages.success(request, _("%(object)s: %(state)s.") % {"object": obj, "state": done})

    def bulk(self, request, queryset, action):
        done, refused = apply_to_each(queryset, action, user=request.user)
        report(request, done, refused, move_of(queryset.model, action).done)

    @admin.action(description=_("Submit selected for publication"), permissions=["change"])
    def submit_selected(self, request, queryset):
        self.bulk(request, queryset, "submit")

    @admin.action(description=_("Publish selected"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self.bulk(request, queryset, "publish")

    @admin.action(description=_("Unpublish selected"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self.bulk(request, queryset, "unpublish")
