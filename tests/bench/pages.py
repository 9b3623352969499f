"""What the bench requests, with the budgets from issue 9.

Each page: name, URL (placeholders filled from the seeded data by `placeholders.py`), the cold
budget in seconds, the warm budget as a share of the floor's throughput (None: reported only),
and a size budget in bytes (None: reported only).
"""

MB = 1_000_000

PAGES = [
    ("home", "/en/", 0.3, 0.5, None),
    ("directory", "/en/projects/", 0.3, 0.5, None),
    ("directory, filtered and sorted", "/en/projects/?status=implementation&ordering=-investment", 0.3, 0.5, None),
    ("directory, page 50", "/en/projects/?page={page}", 0.3, None, None),
    ("directory CSV (whole list)", "/en/projects/?format=csv", 5.0, None, None),
    ("project page", "/en/projects/{project}/", 0.3, 0.5, None),
    ("report: commission", "/en/reports/", 0.5, 0.33, None),
    ("report: working group", "/en/reports/working-groups/{group}/", 0.5, 0.33, None),
    ("report: sector", "/en/reports/sectors/{sector}/", 0.5, 0.33, None),
    ("project page with money and results", "/en/projects/{rich}/", 0.3, 0.5, None),
    ("report: commission, XLSX", "/en/reports/?format=xlsx", 2.0, None, None),
    ("report: commission, PDF", "/en/reports/?format=pdf", 5.0, None, None),
    ("report: changes since the last session", "/en/reports/changes/", 0.5, 0.33, None),
    ("report list: overdue tasks", "/en/reports/overdue-tasks/", 0.3, None, None),
    ("report list: behind schedule", "/en/reports/behind-schedule/", 0.3, None, None),
    ("map", "/en/map/", 0.5, None, 1 * MB),
    ("sitemap.xml (index)", "/sitemap.xml", 0.5, None, 10 * MB),
    ("sitemap: projects, a full page", "/sitemap-projects.xml?p=1", 0.5, None, 10 * MB),
    ("API project list", "/api/v1/projects/", 0.3, 0.5, None),
    ("API project detail", "/api/v1/projects/{project}/", 0.3, 0.5, None),
    ("API summary", "/api/v1/summary/", 0.5, 0.33, None),
    ("API money summary", "/api/v1/money/summary/?by=working_group", 0.5, 0.33, None),
    ("API indicators on track", "/api/v1/indicators-on-track/", 0.5, 0.33, None),
    ("API transactions", "/api/v1/transactions/", 0.3, 0.5, None),
    ("IATI activities, demo (a file of 250)", "/api/v1/iati/activities.xml?demo=demo", 2.0, None, 10 * MB),
    ("IATI activity", "/api/v1/iati/activities/{code}.xml?demo=demo", 0.3, None, None),
    ("OC4IDS package, demo (a file of 250)", "/api/v1/oc4ids/projects.json?demo=demo", 2.0, None, 10 * MB),
    ("feed: updates", "/en/updates/feed/", 0.3, None, None),
    ("feed: project", "/en/projects/{project}/feed/", 0.3, None, None),
    ("list: working groups", "/en/working-groups/", 0.3, None, None),
    ("list: events", "/en/events/", 0.3, None, None),
]

FLOOR = "/bench-floor/"
WORKER_RSS_MIB = 200
