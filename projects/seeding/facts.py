"""The public facts the application ships with, each with where it was reported.

Only what public reports say is stored here; a figure that was not found stays empty. Where
sources disagree, the figure used is stored with its source and the others go in a note.
Project codes (KZUZ-0xx) are this tracker's own numbering, not an official register.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from partnership.models import (
    Agreement,
    CoChair,
    Commission,
    Country,
    Directive,
    Meeting,
    Person,
    Sector,
    TradeFigure,
    WorkingGroup,
)

from ..models import Organisation, Project, ProjectLocation, ProjectParticipant, Publication
from .upsert import Tally, upsert

D = datetime.date
BN = Decimal("1000000000")

AKORDA = "Akorda, press service of the President of Kazakhstan"
UZ_PRESIDENT = "Press service of the President of Uzbekistan"
KHIVA_SOURCES = f"{AKORDA}; {UZ_PRESIDENT}; Gazeta.uz; Kun.uz; The Astana Times; Kazinform"

COUNTRIES = [
    # code, en, ru, kk, uz
    ("KZ", "Kazakhstan", "Казахстан", "Қазақстан", "Qozog‘iston"),
    ("UZ", "Uzbekistan", "Узбекистан", "Өзбекстан", "O‘zbekiston"),
]

SECTORS = [
    # slug, en, ru, kk, uz
    ("machine-building", "Machine building", "Машиностроение", "Машина жасау", "Mashinasozlik"),
    ("energy", "Energy", "Энергетика", "Энергетика", "Energetika"),
    (
        "transport-logistics",
        "Transport and logistics",
        "Транспорт и логистика",
        "Көлік және логистика",
        "Transport va logistika",
    ),
    ("mining", "Mining", "Горнодобывающая промышленность", "Тау-кен өнеркәсібі", "Tog‘-kon sanoati"),
    ("textile", "Textile industry", "Текстильная промышленность", "Тоқыма өнеркәсібі", "To‘qimachilik sanoati"),
    ("food", "Food industry", "Пищевая промышленность", "Тамақ өнеркәсібі", "Oziq-ovqat sanoati"),
    ("agriculture", "Agriculture", "Сельское хозяйство", "Ауыл шаруашылығы", "Qishloq xo‘jaligi"),
    ("it", "Information technology", "Информационные технологии", "Ақпараттық технологиялар", "Axborot texnologiyalari"),
    ("water", "Water management", "Водное хозяйство", "Су шаруашылығы", "Suv xo‘jaligi"),
    ("chemicals", "Chemical industry", "Химическая промышленность", "Химия өнеркәсібі", "Kimyo sanoati"),
    ("construction", "Construction and building materials", "Строительство и стройматериалы",
     "Құрылыс және құрылыс материалдары", "Qurilish va qurilish materiallari"),
    ("finance-trade", "Finance and trade", "Финансы и торговля", "Қаржы және сауда", "Moliya va savdo"),
    ("tourism", "Tourism", "Туризм", "Туризм", "Turizm"),
    ("culture", "Culture and humanitarian ties", "Культурно-гуманитарные связи", "Мәдени-гуманитарлық байланыстар",
     "Madaniy-gumanitar aloqalar"),
    ("education", "Education", "Образование", "Білім беру", "Ta’lim"),
    ("sport-youth", "Sport and youth", "Спорт и молодёжь", "Спорт және жастар", "Sport va yoshlar"),
]  # fmt: skip

COMMISSION_SLUG = "kz-uz"

WORKING_GROUPS = [
    # slug, name, sectors, mandate, source
    (
        "deputy-heads",
        "Working group of the deputy heads of government",
        ["machine-building", "energy", "transport-logistics", "mining", "textile", "food"],
        "Oversees the joint roadmaps, the investment agreements and the trade contracts between the "
        "two countries, and reports on the portfolio of joint projects to the heads of state.",
        KHIVA_SOURCES,
    ),
    (
        "icic",
        "Working group on the International Center for Industrial Cooperation “Central Asia”",
        ["transport-logistics", "textile"],
        "Prepares and follows the construction of the cross-border industrial cooperation centre at "
        "the Atameken and Gulistan border posts.",
        "Public reports of February 2024",
    ),
    (
        "trade-barriers",
        "Joint working group on removing trade barriers",
        ["finance-trade", "food", "agriculture"],
        "Finds and removes obstacles to mutual trade.",
        "Agreed in January 2024 (public reports)",
    ),
    (
        "water",
        "Working group on water resources",
        ["water", "agriculture", "energy"],
        "Joint use and protection of transboundary water resources; chaired by the two water ministers.",
        "Public reports",
    ),
    (
        "rare-metals",
        "Working group on rare and rare-earth metals",
        ["mining", "chemicals"],
        "Joint exploration and processing of rare and rare-earth metals.",
        "Created at the Supreme Interstate Council, Tashkent, 15 November 2025",
    ),
    (
        "river-forecasting",
        "Working group on forecasting river water levels",
        ["water", "it"],
        "Joint forecasting of water levels on shared rivers.",
        "Created at the Supreme Interstate Council, Tashkent, 15 November 2025",
    ),
]

PEOPLE = [
    # full name, country
    ("Askar Mamin", "KZ"),
    ("Alikhan Smailov", "KZ"),
    ("Olzhas Bektenov", "KZ"),
    ("Abdulla Aripov", "UZ"),
    ("Serik Zhumangarin", "KZ"),
    ("Jamshid Khodjaev", "UZ"),
    ("Kairat Torebayev", "KZ"),
    ("Khurram Teshabaev", "UZ"),
]

PM_TERMS = "Term dates follow the person's time in office as prime minister."
CO_CHAIRS = [
    # person, position, body (None = the commission, else a working-group slug), start, end, source
    ("Askar Mamin", "Prime Minister of Kazakhstan", None, D(2019, 2, 25), D(2022, 1, 5),
     f"Co-chaired the 18th meeting (Tashkent, 21 June, probably 2019). {PM_TERMS}"),
    ("Alikhan Smailov", "Prime Minister of Kazakhstan", None, D(2022, 1, 11), D(2024, 2, 5),
     f"Co-chaired the 20th meeting (Tashkent, 5 May 2023). {PM_TERMS}"),
    ("Olzhas Bektenov", "Prime Minister of Kazakhstan", None, D(2024, 2, 6), None,
     f"Co-chaired the 21st meeting (Almaty, July 2024). {PM_TERMS} One report gives March 2024 as the start."),
    ("Abdulla Aripov", "Prime Minister of Uzbekistan", None, D(2016, 12, 14), None,
     f"Co-chaired the 18th, 20th and 21st meetings. {PM_TERMS}"),
    ("Serik Zhumangarin", "Deputy Prime Minister", "deputy-heads", None, None, KHIVA_SOURCES),
    ("Jamshid Khodjaev", "Deputy Prime Minister", "deputy-heads", None, None, KHIVA_SOURCES),
    ("Kairat Torebayev", "Deputy Minister", "icic", None, None, "Public reports of February 2024"),
    ("Khurram Teshabaev", "Deputy Minister", "icic", None, None, "Public reports of February 2024"),
]  # fmt: skip

MEETINGS = [
    # slug, kind, title, date, place, summary, source
    ("commission-18th-meeting", Meeting.Kind.COMMISSION, "18th meeting of the Intergovernmental Commission",
     D(2019, 6, 21), "Tashkent",
     "Co-chaired by Prime Ministers Askar Mamin and Abdulla Aripov. The year is probable, not confirmed.",
     "Public reports (year probable)"),
    ("commission-20th-meeting", Meeting.Kind.COMMISSION, "20th meeting of the Intergovernmental Commission",
     D(2023, 5, 5), "Tashkent", "Co-chaired by Prime Ministers Alikhan Smailov and Abdulla Aripov.", "Public reports"),
    ("commission-21st-meeting", Meeting.Kind.COMMISSION, "21st meeting of the Intergovernmental Commission",
     D(2024, 7, 1), "Almaty",
     "Co-chaired by Prime Ministers Olzhas Bektenov and Abdulla Aripov. Held in July 2024; the day was not "
     "found, so the first of the month is stored.", "Public reports (day not found)"),
    ("khiva-informal-summit-2024", Meeting.Kind.HEADS_OF_STATE, "Informal meeting of the presidents in Khiva",
     D(2024, 4, 5), "Khiva",
     "Presidents Kassym-Jomart Tokayev and Shavkat Mirziyoyev met informally. They noted mutual trade of "
     "$4.4 billion in 2023 and a portfolio of 60 joint projects worth more than $2.5 billion, expected to "
     "create over 13,000 jobs, and supported the Programme of Strategic Partnership and Alliance until 2034. "
     "The deputy prime ministers and working-group co-chairs reported on joint projects in machine building, "
     "energy, transport and logistics, mining, and the textile and food industries. A joint venture of the two "
     "national railway companies was backed the same day. Not to be confused with the informal meeting in "
     "Almaty on 29 March 2025.", KHIVA_SOURCES),
    ("supreme-interstate-council-1", Meeting.Kind.HEADS_OF_STATE, "First meeting of the Supreme Interstate Council",
     D(2024, 8, 8), "Astana",
     "Approved the Strategic Partnership and Alliance Programme for 2024–2034. Agreements worth about $7 billion "
     "were signed. The portfolio then stood at 69 projects worth $3.1 billion.", "Public reports"),
    ("supreme-interstate-council-2", Meeting.Kind.HEADS_OF_STATE, "Second meeting of the Supreme Interstate Council",
     D(2025, 11, 15), "Tashkent",
     "Seven joint projects were launched, worth $1.2 billion according to Akorda or $1.3 billion according to the "
     "Uzbek side. New working groups were created on rare and rare-earth metals and on forecasting river water "
     "levels.", f"{AKORDA}; {UZ_PRESIDENT}"),
]  # fmt: skip

KHIVA_DIRECTIVES = [
    # text, working groups
    ("Raise mutual trade turnover.", ["deputy-heads", "trade-barriers"]),
    ("Draw up a long-term programme of industrial cooperation.", ["deputy-heads"]),
    ("Carry out the joint transport and energy infrastructure projects.", ["deputy-heads"]),
    ("Start work on the International Center for Industrial Cooperation “Central Asia” in 2024.", ["icic"]),
    ("Widen the activities of the joint foreign trade company.", ["deputy-heads", "trade-barriers"]),
    ("Organise joint cultural, educational and sports events with young people.", []),
    ("Deepen ties in tourism.", []),
    ("Cooperate on water resources.", ["water"]),
    ("Cooperate on the consultative meetings of the heads of state of Central Asia.", []),
    ("Cooperate on monitoring the situation in Afghanistan.", []),
]

AGREEMENTS = [
    # slug, kind, title, signed, place, summary, source
    ("treaty-eternal-friendship-1998", Agreement.Kind.TREATY, "Treaty of Eternal Friendship", D(1998, 10, 31), "",
     "", "Public reports"),
    ("treaty-strategic-partnership-2013", Agreement.Kind.TREATY, "Treaty on Strategic Partnership", D(2013, 6, 14),
     "", "", "Public reports"),
    ("declaration-allied-relations-2021", Agreement.Kind.DECLARATION, "Declaration on Allied Relations",
     D(2021, 12, 6), "", "", "Public reports"),
    ("treaty-allied-relations-2022", Agreement.Kind.TREATY, "Treaty on Allied Relations", D(2022, 12, 22), "Tashkent",
     "Creates the Supreme Interstate Council. Ratified by the Senate of Kazakhstan on 25 April 2024 and signed "
     "into law there on 20 May 2024.", "Public reports"),
    ("icic-agreement-2023", Agreement.Kind.INTERGOVERNMENTAL,
     "Agreement on the International Center for Industrial Cooperation “Central Asia”", D(2023, 11, 9), "", "",
     "Public reports"),
    ("strategic-partnership-programme-2024-2034", Agreement.Kind.PROGRAMME,
     "Programme of Strategic Partnership and Alliance 2024–2034", D(2024, 8, 8), "Astana",
     "Approved at the first meeting of the Supreme Interstate Council.", "Public reports"),
    ("trade-10bn-programme-2025", Agreement.Kind.PROGRAMME, "Programme on raising mutual trade to $10 billion by 2030",
     D(2025, 3, 15), "", "", "Public reports (medium confidence)"),
]  # fmt: skip

TRADE = [
    # year, turnover in billions, estimate, source, other sources
    (2016, "1.9", False, "Public reports", ""),
    (2017, "2.0", True, "Public reports (“about $2 billion”)", ""),
    (2018, "2.5", True, "Public reports (“about $2.5 billion”)", "Another source gives $3.0 billion."),
    (2021, "4.3", False, "Public reports", ""),
    (2022, "5.0", False, "Public reports", "Another source gives $4.9 billion."),
    (2023, "4.4", False, AKORDA, "Other sources give $4.5 billion and $4.6 billion."),
    (2024, "4.3", False, "Public reports", "Another source says “over $4 billion”."),
    (2025, "4.97", False, "Ministry of Investment, Industry and Trade of Uzbekistan, February 2026", ""),
]

ORGANISATIONS = [
    # key, name, country, kind
    ("tcl", "Trans Continental Logistic (TCL)", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("global-textile", "Global Textile", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("ktz", "Kazakhstan Temir Zholy (KTZ)", "KZ", Organisation.Kind.STATE_COMPANY),
    ("uzrailways", "Uzbekistan Railways", "UZ", Organisation.Kind.STATE_COMPANY),
    ("artel", "Artel", "UZ", Organisation.Kind.PRIVATE_COMPANY),
    ("saryarkaavtoprom", "SaryarkaAvtoProm", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("kazphosphate", "Kazphosphate", "KZ", Organisation.Kind.PRIVATE_COMPANY),
    ("uzkimyosanoat", "Uzkimyosanoat", "UZ", Organisation.Kind.STATE_COMPANY),
]

LAUNCH_2025 = "Launched on 15 November 2025 at the second meeting of the Supreme Interstate Council."
ROADMAP_2022 = "Listed in the roadmap of December 2022. Its current status was not found in public reports."
STATUS_UNKNOWN = "Status not reported; stored as pipeline."

# code, slug, title, working group, sectors, status, summary, extra fields, participants, locations,
# agreements, directive numbers (index in KHIVA_DIRECTIVES), source
PROJECTS = [
    ("KZUZ-001", "icic-central-asia", "International Center for Industrial Cooperation “Central Asia”", "icic",
     ["transport-logistics", "textile"], Project.Status.IMPLEMENTATION,
     "A 100-hectare cross-border industrial and trade zone, 50 hectares on each side, by the Atameken and Gulistan "
     "border posts. The investor is Trans Continental Logistic; the first tenant is Global Textile of Uzbekistan.",
     {"investment_amount": 27 * BN, "investment_currency": "KZT", "rate_date": D(2025, 11, 15),
      "actual_start": D(2025, 11, 15), "planned_end": D(2027, 6, 30),
      "description": "Launched at a ceremony on 15 November 2025 and still under construction; the official "
                     "opening is planned for the first half of 2027. The investment of about 27 billion tenge is "
                     "the investor's."},
     [("tcl", ProjectParticipant.Role.INVESTOR), ("global-textile", ProjectParticipant.Role.OPERATOR)],
     [("KZ", "Turkestan region", "Atameken border post"), ("UZ", "Syrdarya region", "Gulistan border post")],
     ["icic-agreement-2023"], [3], "Public reports; Akorda (launch, 15 November 2025)"),
    ("KZUZ-002", "darbaza-maktaaral-railway", "Darbaza–Maktaaral railway line", "deputy-heads",
     ["transport-logistics"], Project.Status.IMPLEMENTATION,
     "A 152-kilometre railway line; Kazakhstan holds an 85 per cent share.",
     {"actual_start": D(2023, 11, 1),
      "description": "Construction began in November 2023 (the day is not recorded; the first of the month is "
                     "stored)."},
     [], [("KZ", "Turkestan region", "Darbaza – Maktaaral")], [], [2], "Public reports"),
    ("KZUZ-003", "uzkaztrade", "UzKazTrade joint foreign trade company", "deputy-heads", ["finance-trade"],
     Project.Status.IMPLEMENTATION, "A joint foreign trade company of the two countries, set up in March 2023.",
     {"actual_start": D(2023, 3, 1)}, [], [], [], [4], "Public reports"),
    ("KZUZ-004", "railway-joint-venture", "Joint venture of the national railway companies", "deputy-heads",
     ["transport-logistics"], Project.Status.PIPELINE,
     "A joint venture of KTZ and Uzbekistan Railways for China–Kazakhstan–Uzbekistan and trans-Afghan freight, "
     "backed by the presidents on 5 April 2024.", {},
     [("ktz", ProjectParticipant.Role.SPONSOR), ("uzrailways", ProjectParticipant.Role.SPONSOR)], [], [], [2],
     KHIVA_SOURCES),
    ("KZUZ-005", "tenge-bank-head-office", "Tenge Bank head office in Tashkent", "deputy-heads", ["finance-trade"],
     Project.Status.IMPLEMENTATION, "A head office building for Tenge Bank in Tashkent.",
     {"actual_start": D(2025, 11, 15), "description": LAUNCH_2025}, [], [("UZ", "Tashkent", "Tashkent")], [], [],
     AKORDA),
    ("KZUZ-006", "silkway-central-asia", "Silkway Central Asia logistics centre", "deputy-heads",
     ["transport-logistics"], Project.Status.IMPLEMENTATION, "A logistics centre in the Tashkent region.",
     {"actual_start": D(2025, 11, 15), "description": LAUNCH_2025}, [], [("UZ", "Tashkent region", "")], [], [],
     AKORDA),
    ("KZUZ-007", "astana-quarter-new-tashkent", "“Astana” residential quarter and hotel in New Tashkent",
     "deputy-heads", ["construction", "tourism"], Project.Status.IMPLEMENTATION,
     "A residential quarter with a hotel, named after Kazakhstan's capital, in New Tashkent.",
     {"actual_start": D(2025, 11, 15), "description": LAUNCH_2025}, [], [("UZ", "Tashkent", "New Tashkent")], [],
     [], AKORDA),
    ("KZUZ-008", "linear-alkylbenzene-plant", "Linear alkylbenzene plant in Kashkadarya", "deputy-heads",
     ["chemicals"], Project.Status.IMPLEMENTATION, "A plant producing linear alkylbenzene, a detergent feedstock.",
     {"actual_start": D(2025, 11, 15), "description": LAUNCH_2025}, [], [("UZ", "Kashkadarya region", "")], [], [],
     AKORDA),
    ("KZUZ-009", "tashkent-hotel-astana", "“Tashkent” hotel in Astana", "deputy-heads", ["tourism"],
     Project.Status.IMPLEMENTATION, "A hotel named after Uzbekistan's capital, in Astana.",
     {"actual_start": D(2025, 11, 15), "description": LAUNCH_2025}, [], [("KZ", "Astana", "Astana")], [], [], AKORDA),
    ("KZUZ-010", "artel-appliances-karaganda", "Artel household appliances plant", "deputy-heads",
     ["machine-building"], Project.Status.PIPELINE, "Production of household appliances by Artel in the Karaganda "
     "region.", {"description": ROADMAP_2022, "confidence_commentary": STATUS_UNKNOWN},
     [("artel", ProjectParticipant.Role.INVESTOR)], [("KZ", "Karaganda region", "")], [], [], "Roadmap of December 2022"),
    ("KZUZ-011", "chevrolet-onix-kostanay", "Chevrolet Onix assembly at SaryarkaAvtoProm", "deputy-heads",
     ["machine-building"], Project.Status.PIPELINE, "Assembly of Chevrolet Onix cars at the SaryarkaAvtoProm plant in "
     "Kostanay.", {"description": ROADMAP_2022, "confidence_commentary": STATUS_UNKNOWN},
     [("saryarkaavtoprom", ProjectParticipant.Role.OPERATOR)], [("KZ", "Kostanay region", "Kostanay")], [], [],
     "Roadmap of December 2022"),
    ("KZUZ-012", "fertiliser-production", "Joint fertiliser production", "deputy-heads", ["chemicals"],
     Project.Status.PIPELINE, "Fertiliser production by Kazphosphate and Uzkimyosanoat.",
     {"description": ROADMAP_2022, "confidence_commentary": STATUS_UNKNOWN},
     [("kazphosphate", ProjectParticipant.Role.IMPLEMENTER), ("uzkimyosanoat", ProjectParticipant.Role.IMPLEMENTER)],
     [], [], [], "Roadmap of December 2022"),
    ("KZUZ-013", "textile-complexes-south-kazakhstan", "Textile complexes in Shymkent and the Turkestan region",
     "deputy-heads", ["textile"], Project.Status.PIPELINE, "Textile production complexes in southern Kazakhstan.",
     {"description": ROADMAP_2022, "confidence_commentary": STATUS_UNKNOWN}, [],
     [("KZ", "Shymkent", "Shymkent"), ("KZ", "Turkestan region", "")], [], [], "Roadmap of December 2022"),
    ("KZUZ-014", "ceramic-tiles-shymkent", "Ceramic tile production in Shymkent", "deputy-heads", ["construction"],
     Project.Status.PIPELINE, "A ceramic tile plant in Shymkent.",
     {"description": ROADMAP_2022, "confidence_commentary": STATUS_UNKNOWN}, [], [("KZ", "Shymkent", "Shymkent")],
     [], [], "Roadmap of December 2022"),
]  # fmt: skip


@transaction.atomic
def load_facts():
    """Load or refresh the facts; returns a Tally of what changed."""
    tally = Tally()
    with translation.override("en"):
        countries = {}
        for code, en, ru, kk, uz in COUNTRIES:
            countries[code] = upsert(
                tally, Country, {"code": code}, {"name": en, "name_ru": ru, "name_kk": kk, "name_uz": uz}
            )
        sectors = {}
        for order, (slug, en, ru, kk, uz) in enumerate(SECTORS, start=1):
            sectors[slug] = upsert(
                tally,
                Sector,
                {"slug": slug},
                {"name": en, "name_ru": ru, "name_kk": kk, "name_uz": uz, "order": order},
            )
        commission = upsert(
            tally,
            Commission,
            {"slug": COMMISSION_SLUG},
            {
                "name": "Intergovernmental Commission on Bilateral Cooperation between Kazakhstan and Uzbekistan",
                "short_name": "Kazakhstan–Uzbekistan Intergovernmental Commission",
                "name_ru": "Межправительственная комиссия по двустороннему сотрудничеству между Казахстаном и "
                "Узбекистаном",
                "mandate": "Brings together the two governments, under the two prime ministers, to agree and follow "
                "joint investment projects, trade, transport, energy, water and humanitarian cooperation.",
                "trade_target_usd": 10 * BN,
                "trade_target_year": 2030,
                "source": "Trade target: programme signed 15 March 2025 (medium confidence). Portfolio as reported: "
                "38 projects, $2.2 billion (December 2022); 60, over $2.5 billion (April 2024); 69, $3.1 billion "
                "(August 2024); 74, $3.4 billion (October 2024).",
            },
            m2m={"countries": list(countries.values())},
        )
        groups = {}
        for order, (slug, name, sector_slugs, mandate, source) in enumerate(WORKING_GROUPS, start=1):
            groups[slug] = upsert(
                tally,
                WorkingGroup,
                {"slug": slug},
                {"commission": commission, "name": name, "mandate": mandate, "order": order, "source": source},
                m2m={"sectors": [sectors[s] for s in sector_slugs]},
            )
        people = {
            name: upsert(tally, Person, {"full_name": name}, {"country": countries[code]}) for name, code in PEOPLE
        }
        for name, position, body, start, end, source in CO_CHAIRS:
            lookup = {"person": people[name], "commission": None, "working_group": None}
            lookup["working_group" if body else "commission"] = groups[body] if body else commission
            upsert(
                tally,
                CoChair,
                lookup,
                {"position": position, "start_date": start, "end_date": end, "source": source},
            )
        meetings = {}
        for slug, kind, title, date, place, summary, source in MEETINGS:
            meetings[slug] = upsert(
                tally,
                Meeting,
                {"slug": slug},
                {
                    "commission": commission,
                    "kind": kind,
                    "title": title,
                    "date": date,
                    "place": place,
                    "summary": summary,
                    "source": source,
                },
            )
        directives = []
        for order, (text, group_slugs) in enumerate(KHIVA_DIRECTIVES, start=1):
            directives.append(
                upsert(
                    tally,
                    Directive,
                    {"meeting": meetings["khiva-informal-summit-2024"], "order": order},
                    {"text": text},
                    m2m={"working_groups": [groups[s] for s in group_slugs]},
                )
            )
        agreements = {}
        for slug, kind, title, signed, place, summary, source in AGREEMENTS:
            agreements[slug] = upsert(
                tally,
                Agreement,
                {"slug": slug},
                {
                    "commission": commission,
                    "kind": kind,
                    "title": title,
                    "signed_date": signed,
                    "signed_place": place,
                    "summary": summary,
                    "source": source,
                },
            )
        for year, billions, estimate, source, note in TRADE:
            upsert(
                tally,
                TradeFigure,
                {"commission": commission, "year": year},
                {"turnover_usd": Decimal(billions) * BN, "estimate": estimate, "source": source, "source_note": note},
            )
        organisations = {
            key: upsert(tally, Organisation, {"name": name}, {"country": countries[code], "kind": kind})
            for key, name, code, kind in ORGANISATIONS
        }
        for row in PROJECTS:
            code, slug, title, group, sector_slugs, status, summary, extra = row[:8]
            participants, locations, agreement_slugs, directive_numbers, source = row[8:]
            project = upsert(
                tally,
                Project,
                {"code": code},
                {
                    "slug": slug,
                    "title": title,
                    "working_group": groups[group],
                    "status": status,
                    "summary": summary,
                    "source": source,
                    "publication": Publication.PUBLISHED,
                    **extra,
                },
                m2m={
                    "sectors": [sectors[s] for s in sector_slugs],
                    "agreements": [agreements[s] for s in agreement_slugs],
                    "directives": [directives[n] for n in directive_numbers],
                },
            )
            for key, role in participants:
                upsert(
                    tally, ProjectParticipant, {"project": project, "organisation": organisations[key], "role": role}
                )
            for country, region, place in locations:
                upsert(
                    tally,
                    ProjectLocation,
                    {"project": project, "country": countries[country], "region": region, "place": place},
                )
    return tally
