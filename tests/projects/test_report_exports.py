"""Report downloads: the XLSX workbook's figures equal the page's; the PDF carries them as text."""

import datetime
import io
import re
from decimal import Decimal
from urllib.parse import urlsplit

import openpyxl
import pypdf
import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats, translation

from partnership.models import Commission, Sector
from partnership.templatetags.site_tags import money
from projects import report_files
from projects.models import Project
from tests import factories as f
from tests.helpers import url
from tests.projects import test_views

pytestmark = pytest.mark.django_db
portfolio = test_views.portfolio  # the report pages' fixture: three published projects, three hidden
bulk_portfolio = test_views.bulk_portfolio
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def pdf_text(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_fonts(response):
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def rows(sheet):
    return list(sheet.iter_rows(min_row=2, values_only=True))


def summary(sheet):
    return {label: value for label, value in rows(sheet) if label}


# --- XLSX -----------------------------------------------------------------------------------------


def test_report_page_links_to_both_downloads_keeping_its_date(client, portfolio, today):
    before = (today - 60 * datetime.timedelta(days=1)).isoformat()
    body = client.get(url("projects:report") + f"?as_of={before}").content.decode()
    assert f'href="?as_of={before}&amp;format=xlsx"' in body
    assert f'href="?as_of={before}&amp;format=pdf"' in body


def test_xlsx_has_one_sheet_per_table_and_its_figures_equal_the_pages(client, portfolio, today):
    page = client.get(url("projects:report")).context
    response = client.get(url("projects:report") + "?format=xlsx")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="report-commission-{page["subject"].slug}-{today}.xlsx"'
    )
    book = workbook(response)
    assert book.sheetnames == [
        "Summary",
        "By status",
        "By delivery confidence",
        "Investment by sector",
        "Progress distribution",
        "Progress by working group",
        "Investment by participant count",  # Excel's limit is 31 characters
        "Lists",
        "Directives by state",
        "Sources and notes",
    ]
    headline = summary(book["Summary"])
    assert headline["As of"].date() == today
    assert headline["Projects"] == page["totals"]["count"] == 3
    assert Decimal(str(headline["Investment (USD)"])) == page["totals"]["usd"] == Decimal("2055000000")
    assert headline["Jobs created"] == page["totals"]["jobs_created"] == 50
    assert headline["Overdue tasks"] == page["figures"]["overdue_tasks"] == 1
    assert headline["Overdue directives"] == page["directives"]["overdue"]
    assert headline["Task weight done"] == pytest.approx(page["figures"]["progress"] / 100)
    assert book["Summary"]["B4"].number_format == "#,##0.00"  # investment: a number shown as money

    by_status = rows(book["By status"])
    assert [(label, count, Decimal(str(usd))) for label, count, usd in by_status[:-1]] == [
        (row["label"], row["count"], row["usd"]) for row in page["by_status"]
    ]
    assert by_status[-1][0] == "Total" and by_status[-1][1] == 3
    sectors = {row[0]: row[1:] for row in rows(book["Investment by sector"]) if row[1] is not None}
    assert sectors == {row["label"]: (row["count"], float(row["usd"])) for row in page["by_sector"]}
    assert [row[1] for row in rows(book["Progress distribution"])] == [r["count"] for r in page["distribution"]]

    countries = rows(book["Investment by participant count"])
    total = [row[0] for row in countries].index("Total")
    assert [row[0] for row in countries[:total]] == [row["name"] for row in page["by_participant_country"]]
    assert Decimal(str(countries[total][2])) == page["totals"]["usd"]
    lists = {title: (count, address) for title, count, address in rows(book["Lists"]) if address}
    assert [count for count, _address in lists.values()] == [link["count"] for link in page["lists"]]
    assert lists["Overdue tasks"][0] == 1 and lists["Overdue tasks"][1].startswith("http://testserver/")
    directives = dict(rows(book["Directives by state"]))
    assert directives["Total"] == page["directives"]["total"]


def test_xlsx_numbers_are_numbers_and_headers_bold(client, portfolio):
    book = workbook(client.get(url("projects:report") + "?format=xlsx"))
    for sheet in book.worksheets[:-1]:
        assert all(cell.font.b for cell in sheet[1]), sheet.title
    for name in ("By status", "By delivery confidence", "Investment by sector"):
        for _, count, usd in rows(book[name]):
            if count is not None:
                assert isinstance(count, int) and isinstance(usd, int | float), name
    for _, count, address in rows(book["Lists"]):
        assert isinstance(count, int) or not address


def test_xlsx_sources_sheet_has_as_of_date_address_sources_and_no_demo_notice_without_demo(client, portfolio, today):
    before = today - 60 * datetime.timedelta(days=1)
    book = workbook(client.get(url("projects:report") + f"?as_of={before}&format=xlsx"))
    notes = dict(book["Sources and notes"].iter_rows(values_only=True))
    assert notes["As of"].date() == before
    assert book["Sources and notes"]["B2"].is_date
    assert isinstance(notes["Generated at"], datetime.datetime)
    assert notes["Address of this report"] == f"http://testserver/en/reports/?as_of={before}"
    assert "exchange rate" in notes["Sources"]
    assert "Demo data" not in notes
    assert summary(book["Summary"])["As of"].date() == before


def test_xlsx_of_a_working_group_counts_only_its_projects_and_carries_the_demo_notice(client, portfolio, today):
    f.ProjectFactory(code="DEMO-1", working_group=Project.objects.get(code="KZUZ-001").working_group, demo=True)
    response = client.get(url("projects:report-workinggroup", slug="power") + "?format=xlsx")
    assert f'filename="report-working-group-power-{today}.xlsx"' in response["Content-Disposition"]
    book = workbook(response)
    assert summary(book["Summary"])["Projects"] == 3  # solar, wind and the demo project
    notes = dict(book["Sources and notes"].iter_rows(values_only=True))
    assert "1 of these projects is fictional" in notes["Demo data"]
    assert "Show real projects only" not in notes["Demo data"]  # the page's link, which a file cannot follow
    assert any("fictional" in str(row[0]) for row in book["Summary"].iter_rows(values_only=True))


def test_xlsx_text_that_looks_like_a_formula_stays_text(client, portfolio):
    Sector.objects.filter(pk__in=Project.objects.filter(code="KZUZ-002").values("sectors")).update(
        name_en='=HYPERLINK("http://evil.example","x")'
    )
    book = workbook(client.get(url("projects:report") + "?format=xlsx"))
    cell = next(c for c in book["Investment by sector"]["A"] if str(c.value).startswith("="))
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil.example","x")'


def test_xlsx_in_russian_has_russian_sheets_and_the_same_figures(client, portfolio):
    book = workbook(client.get(url("projects:report", "ru") + "?format=xlsx"))
    assert book.sheetnames[0] == "Кратко"
    assert rows(book["Кратко"])[1][1] == 3


# --- PDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pdf_has_the_headline_figures_and_the_as_of_date_as_text(client, portfolio, today, lang):
    before = today  # the portfolio has no history before today: a past day would have no projects
    address = url("projects:report", lang) + f"?as_of={before}"
    page = client.get(address).context
    response = client.get(address + "&format=pdf")
    assert response["Content-Disposition"].endswith(f'-{before}.pdf"')
    text = pdf_text(response)
    with translation.override(lang):
        expected = [
            formats.date_format(before),
            money(page["totals"]["usd"]),
            "Overdue tasks" if lang == "en" else "Просроченные задачи",
            str(page["subject"]),
        ]
        headline = f"{intcomma(page['totals']['jobs_created'])} {intcomma(page['totals']['jobs_planned'])}"
    for figure in expected:
        assert figure in text, (figure, text[:600])
    assert headline.split()[0] in text and headline.split()[1] in text
    assert ("Projects 3" if lang == "en" else "Проекты 3") in text
    assert "Show report" not in text and "Показать отчёт" not in text  # no form, no navigation
    assert "fictional" not in text


def test_pdf_prints_the_tables_the_page_folds_away(client, portfolio):
    # On screen each chart's table sits in a closed <details>; the PDF has every one, rows and all.
    page = client.get(url("projects:report"))
    assert '<details class="chart-data"><summary>' in page.content.decode()
    text = pdf_text(client.get(url("projects:report") + "?format=pdf"))
    assert "The figures as a table" not in text
    for row in page.context["by_sector"]:
        assert f"{row['label']} {row['count']} {row['text']}" in text, row
    for row in page.context["distribution"]:
        assert f"{row['label']} {row['count']}" in text, row
    status = page.context["by_status"][0]
    assert f"{status['label']} {status['count']} {intcomma(int(status['usd']))}" in text


def test_pdf_says_when_demo_projects_are_counted(client, portfolio):
    f.ProjectFactory(code="DEMO-1", working_group=Project.objects.get(code="KZUZ-001").working_group, demo=True)
    text = pdf_text(client.get(url("projects:report") + "?format=pdf"))
    assert "1 of these projects is fictional, entered to demonstrate the tracker" in text
    assert "Show real projects only" not in text


@pytest.mark.parametrize("lang", ["kk", "uz"])
def test_pdf_renders_kazakh_and_uzbek_letters_in_one_font_that_has_them(client, portfolio, lang):
    project = Project.objects.get(code="KZUZ-002")
    letters = "Әуежай, Қоңырат, Өскемен, Ұлытау, Үржар, Һ, Іле, Ғ; Oʻzbekiston, gʻalla, maʼlumot"
    names = {f"{field}_{code}": letters for field in ("name", "short_name") for code in ("kk", "uz")}
    Commission.objects.filter(pk=project.working_group.commission_id).update(**names)  # the report's heading
    response = client.get(url("projects:report", lang) + "?format=pdf")
    text = pdf_text(response)
    assert "Әуежай, Қоңырат, Өскемен, Ұлытау, Үржар, Һ, Іле, Ғ" in text
    assert "Oʻzbekiston, gʻalla, maʼlumot" in text
    # Every letter came from DejaVu Sans: Pango needed no fallback font, so no letter is missing.
    assert {font.removesuffix("-Bold") for font in pdf_fonts(response)} == {"DejaVu-Sans"}


def test_pdf_fetches_only_the_sites_static_files_from_disk(client, portfolio, monkeypatch):
    fetcher = report_files.local_fetcher_class()
    asked = []
    fetch = fetcher.fetch

    def recording(self, address, headers=None):
        asked.append(address)
        return fetch(self, address, headers)

    monkeypatch.setattr(fetcher, "fetch", recording)
    pdf_text(client.get(url("projects:report") + "?format=pdf"))
    assert "http://testserver/static/css/print.css" in asked
    assert all(urlsplit(address).path.startswith("/static/") for address in asked), asked
    assert all(address.startswith("http://testserver/") for address in asked), asked


@pytest.mark.parametrize(
    "address",
    [
        "http://example.com/static/css/site.css",
        "https://testserver/static/css/site.css",
        "file:///etc/passwd",
        "http://testserver/static/../../../../etc/passwd",
        "http://testserver/static/%2e%2e/%2e%2e/manage.py",
        "http://testserver/media/x.png",
        "http://testserver/static/css/missing.css",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_local_static_files(address):
    fetcher = report_files.local_fetcher_class()("http://testserver/")
    with pytest.raises(ValueError, match="Only the site's static files"):
        fetcher.fetch(address)


def test_the_pdf_fetcher_reads_a_static_file_from_disk():
    response = report_files.local_fetcher_class()("http://testserver/").fetch("http://testserver/static/css/print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


# --- bad input, query counts ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["doc", "XLSX", "%00", "pdf;", "pdf%20"])
def test_an_unknown_format_gets_a_page_that_explains(client, portfolio, value):
    response = client.get(url("projects:report") + f"?format={value}")
    assert response.status_code == 400
    body = response.content.decode()
    assert "That download cannot be made" in body and "Choose xlsx or pdf." in body


def test_a_bad_date_with_a_format_gets_the_date_explained_not_a_file(client, portfolio):
    response = client.get(url("projects:report") + "?as_of=2999-01-01&format=xlsx")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "That date cannot be used" in response.content.decode()


def test_downloads_of_an_unknown_group_are_404(client, portfolio):
    assert client.get(url("projects:report-workinggroup", slug="nope") + "?format=xlsx").status_code == 404


def test_drafts_never_reach_a_download(client, portfolio):
    book = workbook(client.get(url("projects:report") + "?format=xlsx"))
    cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    text = pdf_text(client.get(url("projects:report") + "?format=pdf"))
    for hidden in ("Secret draft", "Hidden submitted", "Hidden returned", "KZUZ-9"):
        assert hidden not in cells and hidden not in text


@pytest.mark.parametrize("size", [10, 300])
def test_export_query_counts_do_not_grow_with_the_portfolio(client, django_assert_num_queries, size, today):
    bulk_portfolio(size, today)
    # + the working groups, whose names (in the page's language) label progress by working group
    with django_assert_num_queries(17):
        book = workbook(client.get(url("projects:report") + "?format=xlsx"))
    assert summary(book["Summary"])["Projects"] == size
    with django_assert_num_queries(20):  # the page's queries: money by year is one query of the stored rows
        text = pdf_text(client.get(url("projects:report") + "?format=pdf"))
    assert re.search(rf"Projects {size}\b", text)
