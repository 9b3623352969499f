"""Seed the fuzzing database from the test factories when `manage.py seed` is not available."""

import datetime
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")

import django  # noqa: E402

django.setup()

from projects.models import Publication, Task  # noqa: E402
from tests import factories as f  # noqa: E402

sectors = [f.SectorFactory() for _ in range(3)]
group = f.WorkingGroupFactory()
f.ExchangeRateFactory(currency="KZT", units_per_usd=Decimal("480"))
for n in range(12):
    project = f.ProjectFactory(
        working_group=group,
        sectors=sectors[: n % 3 + 1],
        investment_currency="KZT" if n % 2 else "USD",
        planned_start=datetime.date(2024, 1, 1),
        planned_end=datetime.date(2027, 1, 1),
        publication=Publication.PUBLISHED if n % 4 else Publication.DRAFT,
    )
    f.TaskFactory(project=project, status=Task.Status.DONE, completed_date=datetime.date(2025, 1, 1))
    f.TaskFactory(project=project, due_date=datetime.date(2025, 6, 1))
    f.LocationFactory(project=project)
    f.ParticipantFactory(project=project)
    f.ProgressUpdateFactory(project=project)
    f.DocumentFactory(project=project)
f.CoChairFactory(working_group=group)
f.DirectiveFactory()
f.AgreementFactory()
f.TradeFigureFactory()
f.EventFactory()
print("Seeded from factories.")
