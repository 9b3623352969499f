"""Who may change what: the one place the admin and the API both ask before any write.

Two roles, kept as Django groups (created by `manage.py setup_roles`):
- Secretariat: every record of the commission, and the only role that publishes.
- Working-group editor: the projects, tasks, progress updates, documents, participants and
  locations of the working groups whose `editors` include them, and nothing else.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

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
}

# Models an editor reads whole, to choose from in forms (autocomplete) but never changes.
EDITOR_READS = ["organisation", "workinggroup", "sector", "country", "agreement", "directive", "exchangerate"]

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
    path = GROUP_PATHS.get(queryset.model._meta.model_name)
    if path is None:
        # Reference data: an editor may read it (for choices) but the write checks below refuse.
        return queryset if queryset.model._meta.model_name in EDITOR_READS and is_editor(user) else queryset.none()
    if not is_editor(user):
        return queryset.none()
    return queryset.filter(**{f"{path}__editors": user})


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
        return is_editor(user)
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
