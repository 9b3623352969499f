"""The portfolio: joint projects, who takes part, where they are, and how far they have got."""

from .asof import (  # noqa: F401
    AsOfIndicatorTrack,
    AsOfProjectHistory,
    AsOfProjectSector,
    AsOfProjectState,
    AsOfProjectTracks,
    AsOfRate,
    AsOfTaskFigures,
    KeptDay,
    KeptGeneration,
    KeptProjectSector,
    KeptProjectState,
    KeptProjectTracks,
    ProjectSnapshot,
    TaskSnapshot,
)
from .base import PERCENT, Confidence, Publication, percent_check  # noqa: F401
from .money import Budget, Transaction  # noqa: F401
from .portfolio import Organisation, Project, ProjectLocation, ProjectParticipant  # noqa: F401
from .results import Indicator, IndicatorValue, Result  # noqa: F401
from .work import Document, ExchangeRate, ProgressUpdate, ProjectFigures, ProjectMoneyYear, Task  # noqa: F401
