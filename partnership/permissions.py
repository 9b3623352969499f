"""Who may change what: the one place the admin and the API both ask before any write.

Two roles, kept as Django groups (created by `manage.py setup_roles`):
- Secretariat: every record of the commission, and the only role that publishes.
- Working-group editor: the projects, tasks, progress updates, documents, participants,
  locations, budgets and transactions of the working groups whose `editors` include them, and
  nothing else.
"""

from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext as _

SECRETARIAT = "Secretariat"
EDITOR = "Working-group editor"

# For each model a working-group editor may keep: the path from it to its working group.
GROUP_PATHS = {
    "project": "working_group",
    "task": "project__working_group",
    "progressupdate": "project__working_group",
    "document": "project__working_group",
    "projectparticipant": "project__working_group",
    "projectlocation": "project__working_group",
    "result": "project__working_group",
    "indicator": "result__project__working_group",
    "indicatorvalue": "indicator__result__project__working_group",
    "budget": "project__working_group",
    "transaction": "project__working_group",
}

# Models an editor reads whole, to choose from in forms (autocomplete) but never changes.
EDITOR_READS = [
    "organisation",
    "workinggroup",
    "sector",
    "country",
    "agreement",
    "directive",
    "directivefollowup",
    "exchangerate",
]

APPS = ("partnership", "projects")


def _roles(user):
    """The user's role groups, read once per user object (the way Django caches permissions)."""
    roles = getattr(user, "_partnership_roles", None)
    if roles is None:
        roles = frozenset(user.groups.filter(name__in=[SECRETARIAT, EDITOR]).values_list("name", flat=True))
        user._partnership_roles = roles
    return roles


def is_secretariat(user):
    return user.is_active and (user.is_superuser or SECRETARIAT in _roles(user))


def is_editor(user):
    return user.is_active and EDITOR in _roles(user)


def scoped(user, queryset):
    """Narrow `queryset` to the rows `user` may see in the admin or write through the API."""
    if is_secretariat(user):
        return queryset
    name = queryset.model._meta.model_name
    path = GROUP_PATHS.get(name)
    if path is None:
        # Reference data: an editor may read it (for choices) but the write checks below refuse.
        if name not in EDITOR_READS or not is_editor(user):
            return queryset.none()
        return _visible_organisations(user, queryset) if name == "organisation" else queryset
    if not is_editor(user):
        return queryset.none()
    return queryset.filter(**{f"{path}__editors": user})


def _visible_organisations(user, queryset):
    """Organisations an editor sees: those no project names, or named by a published project or
    by one of their groups' projects; never one named only in other groups' drafts."""
    project = apps.get_model("projects", "Project")
    seen = project.objects.filter(Q(publication="published") | Q(working_group__editors=user))
    naming = [
        (apps.get_model("projects", "ProjectParticipant"), "organisation"),
        (apps.get_model("projects", "Task"), "responsible_organisation"),
        (apps.get_model("projects", "Transaction"), "provider"),
        (apps.get_model("projects", "Transaction"), "receiver"),
    ]
    anywhere, where_seen = Q(), Q()
    for model, field in naming:
        anywhere |= Q(pk__in=model.objects.values(field))
        where_seen |= Q(pk__in=model.objects.filter(project__in=seen.values("pk")).values(field))
    return queryset.filter(~anywhere | where_seen)


def working_group_of(obj):
    """The working group a record belongs to, following GROUP_PATHS."""
    path = GROUP_PATHS.get(obj._meta.model_name)
    if path is None:
        return None
    target = obj
    for step in path.split("__"):
        target = getattr(target, step, None)
        if target is None:
            return None
    return target


def can_write(user, obj):
    """May `user` create or change `obj` as it now stands (its new working group included)?

    For a change, call this on the record as stored and again on the record as it will be
    saved, so that an editor cannot move a project into another group's portfolio.
    """
    if not user.is_active or not user.is_staff:
        return False
    if is_secretariat(user):
        return True
    if obj._meta.model_name not in GROUP_PATHS or not is_editor(user):
        return False
    group = working_group_of(obj)
    return group is not None and group.editors.filter(pk=user.pk).exists()


def can_publish(user):
    """Only the secretariat publishes, returns or unpublishes."""
    return user.is_active and user.is_staff and is_secretariat(user)


def can_view(user, obj):
    """May `user` see this one record in the admin (its page, its history)?"""
    if not user.is_active or not user.is_staff:
        return False
    if is_secretariat(user):
        return True
    name = obj._meta.model_name
    if name in EDITOR_READS:
        return is_editor(user) and (
            name != "organisation" or scoped(user, type(obj).objects.filter(pk=obj.pk)).exists()
        )
    if name not in GROUP_PATHS or not is_editor(user):
        return False
    group = working_group_of(obj)
    return group is not None and group.editors.filter(pk=user.pk).exists()


def can_submit(user, obj):
    """Whoever may change a project or progress update may submit it for publication."""
    return can_write(user, obj)


def editable_working_groups(user):
    """The working groups whose records `user` may write: all for the secretariat."""
    from partnership.models import WorkingGroup

    if is_secretariat(user):
        return WorkingGroup.objects.all()
    if not is_editor(user):
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(editors=user)


# --- fields: who may write which field (asked by the admin's forms and the API's serializers) ------

#: An editor may name only a working group they edit (the secretariat any).
OWN_GROUPS = "own working groups"

#: (model label, field) → who may write it, beyond being allowed to write the record. Fields not
#: listed go with the record. Publication states move only through partnership/workflow.py.
FIELD_RULES = {
    ("projects.project", "demo"): SECRETARIAT,
    ("projects.project", "review_comment"): SECRETARIAT,
    ("projects.project", "working_group"): OWN_GROUPS,
    ("projects.progressupdate", "review_comment"): SECRETARIAT,
    ("projects.indicatorvalue", "review_comment"): SECRETARIAT,
    ("projects.transaction", "review_comment"): SECRETARIAT,
    ("projects.document", "published"): SECRETARIAT,
    ("projects.organisation", "demo"): SECRETARIAT,
    ("projects.exchangerate", "demo"): SECRETARIAT,
    ("partnership.event", "published"): SECRETARIAT,
    ("partnership.event", "demo"): SECRETARIAT,
}


def may_write_field(user, model, field):
    """May `user` write `field` of `model` at all? (OWN_GROUPS fields: yes, within their groups.)"""
    return FIELD_RULES.get((model._meta.label_lower, field)) != SECRETARIAT or can_publish(user)


def locked_fields(user, model):
    """The fields of `model` that `user` may not write: read-only in forms, refused in the API."""
    label = model._meta.label_lower
    return [field for (owner, field) in FIELD_RULES if owner == label and not may_write_field(user, model, field)]


def refused_fields(user, old, new):
    """{field: reason} for each field of `new` that `user` changes (from `old`, or the default
    for a new record) but may not write, or sets to a value they may not choose."""
    refused = {}
    for (label, name), rule in FIELD_RULES.items():
        if label != new._meta.label_lower:
            continue
        field = new._meta.get_field(name)
        value = field.value_from_object(new)
        if value == (field.get_default() if old is None else field.value_from_object(old)):
            continue
        if not may_write_field(user, type(new), name):
            refused[name] = _("Only the secretariat may change “%(field)s”.") % {"field": field.verbose_name}
        elif (
            rule == OWN_GROUPS
            and not is_secretariat(user)
            and not editable_working_groups(user).filter(pk=value).exists()
        ):
            refused[name] = _("Choose one of the working groups you edit.")
    return refused


# --- deletion: shared records that published projects use ----------------------------------------

#: Shared records, by model label → the paths from a project to them.
PUBLISHED_USES = {
    "partnership.sector": ["sectors"],
    "partnership.workinggroup": ["working_group"],
    "partnership.country": ["locations__country"],
    "partnership.agreement": ["agreements"],
    "partnership.directive": ["directives"],
    "projects.organisation": [
        "participants__organisation",
        "tasks__responsible_organisation",
        "transactions__provider",
        "transactions__receiver",
    ],
}


def published_projects_using(obj):
    """The published projects that use the shared record `obj` (none for other records)."""
    project = apps.get_model("projects", "Project")
    paths = PUBLISHED_USES.get(obj._meta.label_lower)
    if not paths:
        return project.objects.none()
    using = project.objects.filter(reduce(or_, (Q(**{path: obj}) for path in paths))).values("pk")
    return project.objects.filter(pk__in=using, publication="published").order_by("code")


def deletion_refused(obj):
    """Why `obj` may not be deleted (it is used by a published project), or None."""
    codes = list(published_projects_using(obj).values_list("code", flat=True)[:5])
    if not codes:
        return None
    return _("“%(object)s” cannot be deleted: published projects use it (%(projects)s).") % {
        "object": obj,
        "projects": ", ".join(codes),
    }


def editor_permission_q():
    view = Q(codename__in=[f"view_{name}" for name in [*GROUP_PATHS, *EDITOR_READS]])
    change = Q(
        codename__in=[f"{action}_{name}" for name in GROUP_PATHS for action in ("add", "change")]
        + [f"delete_{name}" for name in GROUP_PATHS if name != "project"]
    )
    return Q(content_type__app_label__in=APPS) & (view | change)


def setup_roles():
    """Create or refresh the two groups and their model permissions; returns what changed."""
    secretariat, made_s = Group.objects.get_or_create(name=SECRETARIAT)
    editor, made_e = Group.objects.get_or_create(name=EDITOR)
    # The secretariat also sees and lifts login lockouts (django-axes).
    all_perms = Permission.objects.filter(content_type__app_label__in=(*APPS, "axes"))
    secretariat.permissions.set(all_perms)
    editor.permissions.set(Permission.objects.filter(editor_permission_q()))
    return {"created": [g.name for g, made in ((secretariat, made_s), (editor, made_e)) if made]}
