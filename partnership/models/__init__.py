"""The commission side of the domain: who meets, who chairs, what was decided and signed."""

from .base import (  # noqa: F401
    DatePrecision,
    TimeStamped,
    check_both_or_neither,
    check_date_order,
    date_order_check,
    date_precision_errors,
    not_negative_check,
    precision_field,
)
from .commission import (  # noqa: F401
    CURRENT_COCHAIR_CLASH,
    CoChair,
    CoChairQuerySet,
    Commission,
    CommissionQuerySet,
    Country,
    Person,
    Sector,
    WorkingGroup,
    WorkingGroupQuerySet,
)
from .meetings import (  # noqa: F401
    Agreement,
    Directive,
    DirectiveFollowUp,
    DirectiveQuerySet,
    Event,
    EventQuerySet,
    Meeting,
    PortfolioFigure,
    TradeFigure,
    overdue_directive_q,
)
from .pending import PendingChange  # noqa: F401
