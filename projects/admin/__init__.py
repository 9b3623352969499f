"""Data entry for the portfolio: projects with their tasks, participants, places, updates and documents.

base.py holds what every admin here shares (scoping by partnership/permissions.py, the publication
workflow through partnership/workflow.py); project.py the project form and its inlines; records.py
the other lists. Importing the package registers them all.
"""

from . import money, project, records, results  # noqa: F401  (registration)
