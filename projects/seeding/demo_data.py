"""The fictional demo portfolio's fixed ingredients: places, kinds of project, organisations, rates."""

from partnership.models import Event

from ..models import Confidence, Organisation, Project

# Fictional rates (units per US dollar) on 1 January of each year.
DEMO_RATES = {
    "KZT": {2023: "460", 2024: "455", 2025: "520", 2026: "510"},
    "UZS": {2023: "11400", 2024: "12300", 2025: "12900", 2026: "12100"},
    "EUR": {2023: "0.93", 2024: "0.90", 2025: "0.96", 2026: "0.86"},
}

# Real places with their coordinates: country, region, place, latitude, longitude.
PLACES = [
    ("KZ", "Almaty", "Almaty", "43.2389", "76.8897"),
    ("KZ", "Astana", "Astana", "51.1694", "71.4491"),
    ("KZ", "Shymkent", "Shymkent", "42.3417", "69.5901"),
    ("KZ", "Turkestan region", "Turkistan", "43.2973", "68.2518"),
    ("KZ", "Karaganda region", "Karaganda", "49.8047", "73.1094"),
    ("KZ", "Aktobe region", "Aktobe", "50.2839", "57.1670"),
    ("KZ", "Kostanay region", "Kostanay", "53.2144", "63.6246"),
    ("KZ", "Pavlodar region", "Pavlodar", "52.2873", "76.9674"),
    ("KZ", "Jambyl region", "Taraz", "42.9000", "71.3667"),
    ("KZ", "Kyzylorda region", "Kyzylorda", "44.8528", "65.5092"),
    ("KZ", "Atyrau region", "Atyrau", "47.1167", "51.8833"),
    ("UZ", "Tashkent", "Tashkent", "41.2995", "69.2401"),
    ("UZ", "Samarkand region", "Samarkand", "39.6542", "66.9597"),
    ("UZ", "Bukhara region", "Bukhara", "39.7747", "64.4286"),
    ("UZ", "Fergana region", "Fergana", "40.3894", "71.7830"),
    ("UZ", "Andijan region", "Andijan", "40.7821", "72.3442"),
    ("UZ", "Namangan region", "Namangan", "40.9983", "71.6726"),
    ("UZ", "Navoi region", "Navoi", "40.0844", "65.3792"),
    ("UZ", "Kashkadarya region", "Karshi", "38.8606", "65.7891"),
    ("UZ", "Karakalpakstan", "Nukus", "42.4531", "59.6103"),
    ("UZ", "Syrdarya region", "Gulistan", "40.4897", "68.7842"),
    ("UZ", "Surkhandarya region", "Termez", "37.2242", "67.2783"),
    ("UZ", "Jizzakh region", "Jizzakh", "40.1158", "67.8422"),
]

# What a project might be, by sector slug, and which working group would follow it.
KINDS = {
    "machine-building": (["Agricultural machinery assembly", "Bus assembly line", "Electric motor works",
                          "Railway wagon repair works"], "deputy-heads"),
    "energy": (["Solar power plant", "Wind farm", "Substation and grid link", "Small hydropower station"],
               "deputy-heads"),
    "transport-logistics": (["Multimodal freight terminal", "Cross-border road upgrade", "Dry port",
                             "Cold-chain logistics hub"], "icic"),
    "mining": (["Copper concentrate plant", "Tungsten deposit development", "Gold tailings reprocessing"],
               "rare-metals"),
    "textile": (["Cotton yarn spinning mill", "Garment factory", "Denim weaving plant"], "icic"),
    "food": (["Fruit and vegetable processing plant", "Dairy plant", "Flour mill", "Meat processing plant"],
             "trade-barriers"),
    "agriculture": (["Greenhouse complex", "Drip irrigation scheme", "Seed breeding centre", "Orchard development"],
                    "trade-barriers"),
    "it": (["Joint IT park", "Data centre", "Electronic customs data exchange", "Software development centre"],
           "deputy-heads"),
    "water": (["Irrigation canal rehabilitation", "Water metering programme", "Pumping station modernisation"],
              "water"),
    "chemicals": (["Soda ash plant", "Polymer packaging plant", "Rare-earth oxide separation line"], "rare-metals"),
    "construction": (["Cement plant", "Float glass factory", "Brick works"], "deputy-heads"),
    "finance-trade": (["Trade house", "Joint investment fund", "Wholesale distribution centre"], "trade-barriers"),
    "tourism": (["Silk Road tourist route", "Resort hotel", "Mountain resort development"], "deputy-heads"),
    "culture": (["Joint cultural centre", "Restoration of a historic site"], "deputy-heads"),
    "education": (["University branch campus", "Vocational training centre"], "deputy-heads"),
    "sport-youth": (["Youth sports academy", "Youth exchange centre"], "deputy-heads"),
}  # fmt: skip

# A second sector that some projects of a sector also serve.
RELATED = {
    "energy": "water",
    "agriculture": "water",
    "food": "agriculture",
    "textile": "agriculture",
    "mining": "chemicals",
    "transport-logistics": "finance-trade",
    "it": "education",
    "tourism": "culture",
    "sport-youth": "education",
}

ORGANISATIONS = [
    ("Steppe Power", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Turan Logistics", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Altyn Dala Agro", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Zarafshan Textiles", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Saryarka Engineering", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Ferghana Foods", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Caspian Minerals", "KZ", Organisation.Kind.STATE_COMPANY),
    ("Amu Water Systems", "UZ", Organisation.Kind.STATE_COMPANY),
    ("Central Asia Development Fund", "KZ", Organisation.Kind.FINANCIAL),
    ("Silk Road Investment Bank", "UZ", Organisation.Kind.FINANCIAL),
    ("Ministry of Industry", "KZ", Organisation.Kind.GOVERNMENT),
    ("Ministry of Investment", "UZ", Organisation.Kind.GOVERNMENT),
    ("Tien Shan Digital", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Samarkand Build", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("Regional Infrastructure Facility", None, Organisation.Kind.INTERNATIONAL),
    ("Irtysh Chemicals", "KZ", Organisation.Kind.PRIVATE_COMPANY),
]

MILESTONES = [
    "Feasibility study approved",
    "Land plot allocated",
    "Financing agreement signed",
    "Construction permit issued",
    "Main contractor selected",
    "Equipment delivered",
    "Construction completed",
    "Commissioning and first output",
    "Design capacity reached",
]

STATUS_CYCLE = [
    Project.Status.IMPLEMENTATION,
    Project.Status.PIPELINE,
    Project.Status.IMPLEMENTATION,
    Project.Status.FINALISATION,
    Project.Status.IMPLEMENTATION,
    Project.Status.CLOSED,
    Project.Status.IMPLEMENTATION,
    Project.Status.SUSPENDED,
    Project.Status.PIPELINE,
    Project.Status.IMPLEMENTATION,
    Project.Status.CANCELLED,
]
CONFIDENCE_CYCLE = [c for c in Confidence.values if c != Confidence.NOT_ASSESSED] + [Confidence.NOT_ASSESSED]
CURRENCIES = ["USD", "USD", "KZT", "USD", "UZS", "EUR", "USD", "KZT", "UZS"]
EVENT_TITLES = [
    (Event.Kind.CULTURE, "Days of Uzbek culture in Almaty"),
    (Event.Kind.EDUCATION, "Joint university admissions fair"),
    (Event.Kind.SPORT, "Friendship football tournament"),
    (Event.Kind.YOUTH, "Youth forum of the two countries"),
    (Event.Kind.TOURISM, "Silk Road tourism fair"),
    (Event.Kind.HUMANITARIAN, "Joint medical volunteers' week"),
    (Event.Kind.BUSINESS, "Regional business forum"),
    (Event.Kind.CULTURE, "Days of Kazakh cinema in Tashkent"),
]
