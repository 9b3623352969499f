"""Prints, as JSON, what the bench's URLs need: a published project from the middle of the directory,
the working group and sector with the most published projects, and page 50 of the directory (or its
last page, for a quick run with fewer projects), and the published project with the most published
transactions and indicator values (the project page with money and results)."""

import json

import django

django.setup()

from django.db.models import Count, Q  # noqa: E402

from partnership.models import Sector, WorkingGroup  # noqa: E402
from projects.models import IndicatorValue, Project, Transaction  # noqa: E402
from projects.views.directory import PAGE_SIZE  # noqa: E402

published = Project.objects.published()
middle = published.count() // 2
project = published.order_by("code").values_list("slug", flat=True)[middle]
is_published = Q(projects__in=published)
group = WorkingGroup.objects.annotate(n=Count("projects", filter=is_published)).order_by("-n", "slug").first()
sector = Sector.objects.annotate(n=Count("projects", filter=is_published)).order_by("-n", "slug").first()
money = Transaction.objects.published().values("project")
results = IndicatorValue.objects.published().values("indicator__result__project")
rich = (
    published.filter(pk__in=money)
    .filter(pk__in=results)
    .annotate(n=Count("transactions", distinct=True))
    .order_by("-n", "code")
    .values_list("slug", flat=True)
    .first()
)
page = min(50, -(-published.count() // PAGE_SIZE))
print(json.dumps({"project": project, "group": group.slug, "sector": sector.slug, "page": page, "rich": rich or project, "code": Project.objects.get(slug=rich or project).code}))
