"""The portfolio's moves in the one publication workflow (partnership/workflow.py).

Projects, progress updates, indicator values and transactions go draft → submitted → published, or back to their editors as
returned with the secretariat's comment; a project must also be complete (everything its public
page needs). Documents are published by a flag, by the secretariat alone. Registered when the
app is ready (projects/apps.py).
"""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from partnership.permissions import can_submit
from partnership.workflow import CLEAR, REQUIRE, Kind, Move, flag_kind, register

from .models import Document, IndicatorValue, ProgressUpdate, Project, Publication, Transaction

SUBMITTABLE = (Publication.DRAFT, Publication.RETURNED)
PUBLISHABLE = (Publication.DRAFT, Publication.SUBMITTED, Publication.RETURNED)


def missing_sentence(missing):
    """One sentence naming what a project still needs before it can be published."""
    return format_lazy(_("It still needs {}."), ", ".join(str(item) for item in missing))


def require_complete(project):
    missing = project.missing_for_publication()
    if missing:
        raise ValidationError(
            _("%(object)s is not ready for publication. %(missing)s")
            % {"object": project, "missing": missing_sentence(missing)},
            code="incomplete",
            params={"missing": [str(item) for item in missing]},
        )


def publication_moves(*, submit_refusal, return_refusal, comment_missing, checks=()):
    """Submit, publish, return and unpublish of a record with a publication state."""
    return {
        "submit": Move(
            SUBMITTABLE,
            Publication.SUBMITTED,
            _("Submitted for publication"),
            _("submitted"),
            submit_refusal,
            allowed=can_submit,
            done=_("submitted for publication"),
            checks=checks,
        ),
        "publish": Move(
            PUBLISHABLE,
            Publication.PUBLISHED,
            _("Published"),
            _("published"),
            _("Only the secretariat publishes."),
            comment=CLEAR,
            checks=checks,
        ),
        "return": Move(
            (Publication.SUBMITTED,),
            Publication.RETURNED,
            _("Returned with comments"),
            _("returned"),
            return_refusal,
            done=_("returned with comments"),
            comment=REQUIRE,
            comment_missing=comment_missing,
        ),
        "unpublish": Move(
            (Publication.PUBLISHED,),
            Publication.DRAFT,
            _("Unpublished"),
            _("unpublished"),
            _("Only the secretariat unpublishes."),
        ),
    }


STATE_LABELS = dict(Publication.choices)

register(
    Kind(
        model=Project,
        labels=STATE_LABELS,
        live=(Publication.PUBLISHED,),
        moves=publication_moves(
            submit_refusal=_("You may not submit this project."),
            return_refusal=_("Only the secretariat returns projects."),
            comment_missing=_("Say why the project is returned."),
            checks=(require_complete,),
        ),
    )
)
register(
    Kind(
        model=ProgressUpdate,
        labels=STATE_LABELS,
        live=(Publication.PUBLISHED,),
        moves=publication_moves(
            submit_refusal=_("You may not submit this progress update."),
            return_refusal=_("Only the secretariat returns progress updates."),
            comment_missing=_("Say why the update is returned."),
        ),
    )
)
register(
    Kind(
        model=IndicatorValue,
        labels=STATE_LABELS,
        live=(Publication.PUBLISHED,),
        moves=publication_moves(
            submit_refusal=_("You may not submit this indicator value."),
            return_refusal=_("Only the secretariat returns indicator values."),
            comment_missing=_("Say why the value is returned."),
        ),
    )
)
register(
    Kind(
        model=Transaction,
        labels=STATE_LABELS,
        live=(Publication.PUBLISHED,),
        moves=publication_moves(
            submit_refusal=_("You may not submit this transaction."),
            return_refusal=_("Only the secretariat returns transactions."),
            comment_missing=_("Say why the transaction is returned."),
        ),
    )
)
register(flag_kind(Document))
