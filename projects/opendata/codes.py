"""How the portfolio's own choices map onto the code lists of IATI 2.03 and OC4IDS 0.9.

Data only: a value missing from a mapping means the standard has no fitting code, and the
exports then leave the attribute or element out rather than guess.
"""

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"
IATI_SCHEMA = SCHEMAS / "iati-2.03" / "iati-activities-schema.xsd"
OC4IDS_PACKAGE_SCHEMA = SCHEMAS / "oc4ids" / "project-package-schema.json"
OC4IDS_PROJECT_SCHEMA = SCHEMAS / "oc4ids" / "project-schema.json"

IATI_VERSION = "2.03"
OC4IDS_VERSION = "0.9"  # the package's `version` is major.minor; the schema files are 0.9.5

# Activities or projects in one file. IATI's guidance keeps published files well under 40 MB; 250 keep
# a file near 2.5 MB and, as important, the memory a worker needs to make one near 40 MB (1,000 took
# about 140 MB, which the worker kept).
PAGE_SIZE = 250

# Project.Status → IATI ActivityStatus (our statuses are that code list).
IATI_ACTIVITY_STATUS = {
    "pipeline": "1",
    "implementation": "2",
    "finalisation": "3",
    "closed": "4",
    "cancelled": "5",
    "suspended": "6",
}

# IATI ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
IATI_ACTIVITY_DATES = (("planned_start", "1"), ("actual_start", "2"), ("planned_end", "3"), ("actual_end", "4"))

# ProjectParticipant.Role → IATI OrganisationRole (1 funding, 2 accountable, 3 extending,
# 4 implementing). An operator runs what is built: the nearest IATI role is implementing.
IATI_ORGANISATION_ROLE = {
    "investor": "1",
    "financier": "1",
    "sponsor": "2",
    "implementer": "4",
    "operator": "4",
}
# The commission answers for every project of its portfolio.
IATI_COMMISSION_ROLE = "2"

# Organisation.Kind → IATI OrganisationType. A bank or fund may be public or private: no type.
IATI_ORGANISATION_TYPE = {
    "government": "10",
    "state_company": "15",
    "private_company": "70",
    "international": "40",
}

# Document.Kind → IATI DocumentCategory (activity level, the A list).
IATI_DOCUMENT_CATEGORY = {
    "report": "A07",  # review of project performance and evaluation
    "study": "A01",  # pre- and post-project impact appraisal
    "agreement": "A11",  # contract
    "photo": "A08",  # results, outcomes and outputs (what the works look like)
    "press": "A12",  # activity web page
    "other": "A12",
}

# IATI descriptions: 1 general.
IATI_DESCRIPTION_GENERAL = "1"
# IATI sector vocabulary 1: OECD DAC CRS purpose codes (5 digit).
IATI_SECTOR_VOCABULARY = "1"
# WGS 84 latitude/longitude, the only reference system IATI uses for points.
IATI_SRS_NAME = "http://www.opengis.net/def/crs/EPSG/0/4326"

# Project.Status → OC4IDS projectStatus. A suspended project has no OC4IDS equivalent: no status.
OC4IDS_PROJECT_STATUS = {
    "pipeline": "identification",
    "implementation": "implementation",
    "finalisation": "completion",
    "closed": "completion",
    "cancelled": "cancelled",
}

# ProjectParticipant.Role → OC4IDS partyRole. Implementer and operator have no code in the list
# (an open code list): they keep our own names.
OC4IDS_PARTY_ROLE = {
    "investor": "funder",
    "financier": "funder",
    "sponsor": "publicAuthority",
    "implementer": "implementer",
    "operator": "operator",
}

# Document.Kind → OC4IDS documentType.
OC4IDS_DOCUMENT_TYPE = {
    "report": "physicalProgressReport",
    "study": "feasibilityStudy",
    "agreement": "contractSigned",
    "photo": "illustration",
}


@cache
def _load(name):
    data = json.loads((HERE / name).read_text(encoding="utf-8"))
    data.pop("_about", None)
    return data


def dac_sectors():
    """Sector slug → {"code": DAC 5-digit code, "name": its name}."""
    return _load("dac_sectors.json")


def oc4ids_sectors():
    """Sector slug → OC4IDS projectSector code."""
    return _load("oc4ids_sectors.json")


def even_split(count):
    """`count` percentages with two decimals that add up to exactly 100."""
    if not count:
        return []
    share = round(100 / count, 2)
    return [share] * (count - 1) + [round(100 - share * (count - 1), 2)]
