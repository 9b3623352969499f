"""The one publication workflow: every move of every kind of record goes through `transition`.

Each kind of record (a project, a progress update, a document, an event) registers a table of
moves: for each action, the states it may start from, the state it leads to, who may make it
(asked of partnership/permissions.py before anything is written), whether the secretariat's
comment is required, kept or cleared, and any extra checks. The admin's buttons and bulk
actions and the API's actions all call `transition`; its errors are the sentences users see.
Kinds of the portfolio are registered from projects/workflow.py, so this module knows nothing
of the projects app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Event, PendingChange
from .permissions import can_publish

# What a move does to the record's review comment.
KEEP, REQUIRE, CLEAR = "keep", "require", "clear"


def secretariat(user, record):
    """Publishing, returning and unpublishing are the secretariat's (partnership.permissions)."""
    return can_publish(user)


@dataclass(frozen=True)
class Move:
    """One action of the table: from which states, to which, by whom, and what it checks."""

    sources: tuple
    target: object
    reason: str  # kept in the record's history
    participle: str  # "%(object)s cannot be <participle>: …"
    refusal: str  # why PermissionDenied, when `allowed` says no
    allowed: Callable = secretariat
    done: str = ""  # what the admin tells the user afterwards (the participle unless given)
    comment: str = KEEP
    comment_missing: str = ""  # the message when a required comment is blank
    checks: tuple = ()  # callables(record) that raise ValidationError
    then: tuple = ()  # callables(record, user) run after the move is saved, in its transaction

    def __post_init__(self):
        if not self.done:
            object.__setattr__(self, "done", self.participle)


@dataclass(frozen=True)
class Kind:
    """The moves of one model, and the field that holds its publication state."""

    model: type
    moves: dict
    state_field: str = "publication"
    labels: dict = field(default_factory=dict)  # state → label, for the messages
    comment_field: str = "review_comment"
    live: tuple = ()  # states in which the public sees it: editors' changes wait for review

    def state(self, record):
        return getattr(record, self.state_field)

    def label(self, record):
        return str(self.labels.get(self.state(record), self.state(record))).lower()


KINDS = {}


def register(kind):
    KINDS[kind.model] = kind
    return kind


def kind_of(record_or_model):
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    try:
        return KINDS[model._meta.concrete_model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no publication workflow") from None


def move_of(record, action):
    try:
        return kind_of(record).moves[action]
    except KeyError:
        raise LookupError(f"{type(record).__name__} has no step {action!r}") from None


def _locked(record):
    """The record as stored, locked until the transaction ends (a no-op lock on SQLite)."""
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def _state_error(kind, record, move):
    return ValidationError(
        _("%(object)s cannot be %(action)s: it is %(state)s.")
        % {"object": record, "action": move.participle, "state": kind.label(record)},
        code="state",
    )


def save_with_history(record, *, user, reason):
    """Save, telling django-simple-history who did it and why (there may be no request)."""
    record._history_user = user
    record._change_reason = reason
    record.save()
    return record


def may(user, record, action):
    """May `user` take this step with `record` as it now stands (state and permission)?"""
    move = kind_of(record).moves.get(action)
    return move is not None and kind_of(record).state(record) in move.sources and move.allowed(user, record)


def available(user, record):
    """The steps `user` may take with `record` now, in the table's order."""
    return [action for action in kind_of(record).moves if may(user, record, action)]


@transaction.atomic
def transition(record, action, *, user, comment=""):
    """Move `record` by `action`: permission first, then the comment, the state and the checks.

    Raises PermissionDenied or ValidationError, with the sentence to show, before any write
    (or, from a `then` step, inside the transaction, which is then rolled back).
    """
    kind = kind_of(record)
    move = move_of(record, action)
    record = _locked(record)
    if not move.allowed(user, record):
        raise PermissionDenied(str(move.refusal))
    comment = (comment or "").strip()
    if move.comment == REQUIRE and not comment:
        raise ValidationError({kind.comment_field: str(move.comment_missing)}, code="required")
    if kind.state(record) not in move.sources:
        raise _state_error(kind, record, move)
    for check in move.checks:
        check(record)
    setattr(record, kind.state_field, move.target)
    if move.comment == REQUIRE:
        setattr(record, kind.comment_field, comment)
    elif move.comment == CLEAR:
        setattr(record, kind.comment_field, "")
    save_with_history(record, user=user, reason=str(move.reason))
    for step in move.then:
        step(record, user)
    return record


def reason_of(exc):
    """The sentence a refused step shows the user."""
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("You may not do that.")
    return " ".join(exc.messages)


def apply_to_each(records, action, *, user):
    """Take the step with each record on its own; returns (done, [(record, why refused)])."""
    done, refused = [], []
    for record in records:
        try:
            done.append(transition(record, action, user=user))
        except (PermissionDenied, ValidationError) as exc:
            refused.append((record, reason_of(exc)))
    return done, refused


def startable(queryset, action):
    """The records of `queryset` whose state the step may start from."""
    kind = kind_of(queryset.model)
    return queryset.filter(**{f"{kind.state_field}__in": kind.moves[action].sources})


# --- records published by a flag (events here, documents in projects/workflow.py) -------------

FLAG_LABELS = {True: _("Published"), False: _("Draft")}


def flag_moves():
    """Publish and unpublish of a record with a `published` flag: the secretariat's alone."""
    return {
        "publish": Move((False,), True, _("Published"), _("published"), _("Only the secretariat publishes.")),
        "unpublish": Move((True,), False, _("Unpublished"), _("unpublished"), _("Only the secretariat unpublishes.")),
    }


def flag_kind(model):
    return Kind(
        model=model, moves=flag_moves(), state_field="published", labels=FLAG_LABELS, comment_field="", live=(True,)
    )


register(flag_kind(Event))


# --- an editor's change to published content (partnership/pending.py) -------------------------


def note_reviewer(change, user):
    change.reviewer = user
    change.save(update_fields=["reviewer", "updated"])


def apply_change(change, user):
    # Imported here: partnership/pending.py asks this module which states are live.
    from .pending import apply_values

    apply_values(change, user=user)


PENDING_LABELS = dict(PendingChange.State.choices)

register(
    Kind(
        model=PendingChange,
        state_field="state",
        labels=PENDING_LABELS,
        moves={
            "approve": Move(
                (PendingChange.State.PENDING,),
                PendingChange.State.APPROVED,
                _("Change approved"),
                _("approved"),
                _("Only the secretariat approves changes to published content."),
                done=_("approved: the public now sees it"),
                then=(note_reviewer, apply_change),
            ),
            "return": Move(
                (PendingChange.State.PENDING,),
                PendingChange.State.RETURNED,
                _("Change returned with comments"),
                _("returned"),
                _("Only the secretariat returns changes to published content."),
                done=_("returned with comments"),
                comment=REQUIRE,
                comment_missing=_("Say why the change is returned."),
                then=(note_reviewer,),
            ),
        },
    )
)
