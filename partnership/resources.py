"""Import and export of the commission's figures (django-import-export), and the strict base resource.

A file is imported whole or not at all: unknown columns, a value that cannot be read, a reference
to something that does not exist, the same key twice in the file, or anything the model's own
validation (`full_clean`) refuses marks its row invalid with the column named, and then nothing
is written (the import runs in one transaction that is rolled back).

CSV exports are written by partnership.exports, the site's one CSV writer (formulas defused).
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.utils.exceptions import IllegalCharacterError
from tablib.formats._xlsx import XLSXFormat

from .exports import csv_text
from .models import Commission, Country, DatePrecision, TradeFigure


def translated(*names):
    """The per-language columns of translated fields: title_en, title_ru, …"""
    return [f"{name}_{code}" for name in names for code, _label in settings.LANGUAGES]


class SpreadsheetSafeCSV(CSV):
    """import-export's CSV format, its exports written by the site's CSV writer; imports unchanged."""

    def export_data(self, dataset, **kwargs):
        return csv_text(dataset.headers or [], dataset)


class TextCellsXLSXFormat(XLSXFormat):
    """tablib's XLSX writer, but a text starting with "=" stays text: openpyxl would store it as a
    formula that the spreadsheet runs."""

    @classmethod
    def dset_sheet(cls, dataset, ws, *args, **kwargs):
        super().dset_sheet(dataset, ws, *args, **kwargs)
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


class SpreadsheetSafeXLSX(XLSX):
    """import-export's XLSX format, every cell written as the value it holds (never a formula);
    characters a workbook cannot hold become \N{REPLACEMENT CHARACTER}."""

    def export_data(self, dataset, **kwargs):
        try:
            return TextCellsXLSXFormat.export_set(dataset, **kwargs)
        except IllegalCharacterError:
            self._escape_illegal_chars(dataset)
            return TextCellsXLSXFormat.export_set(dataset, **kwargs)


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key given by a natural key (a slug, a code); an unknown one is a field error."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(
                _("There is no %(model)s with %(field)s “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from None


class PrecisionWidget(widgets.Widget):
    """A date's precision: day, month or year (an empty cell is day); anything else is a field error."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            return DatePrecision.DAY
        if text not in DatePrecision.values:
            raise ValueError(
                _("“%(value)s” is not a date precision: write one of %(choices)s.")
                % {"value": value, "choices": ", ".join(DatePrecision.values)}
            )
        return text


def precision_field(date):
    """The import-export field of the `<date>_precision` column."""
    name = f"{date}_precision"
    return fields.Field(attribute=name, column_name=name, widget=PrecisionWidget())


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Several natural keys in one cell; one that matches nothing is a field error, not ignored."""

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        if not value:
            return found
        wanted = {str(key).strip() for key in str(value).split(self.separator) if str(key).strip()}
        missing = wanted - {str(key) for key in found.values_list(self.field, flat=True)}
        if missing:
            raise ValueError(
                _("There is no %(model)s with %(field)s %(values)s.")
                % {
                    "model": self.model._meta.verbose_name,
                    "field": self.field,
                    "values": ", ".join(f"“{key}”" for key in sorted(missing)),
                }
            )
        return found


class StrictModelResource(resources.ModelResource):
    """All-or-nothing imports with the model's own validation and row-level messages."""

    def before_import(self, dataset, **kwargs):
        self._seen_keys = {}
        known = {field.column_name for field in self.get_import_fields()}
        unknown = [header for header in dataset.headers or [] if header not in known]
        if unknown:
            raise ValidationError(
                _("Unknown column(s): %(unknown)s. The columns this import reads are: %(known)s.")
                % {"unknown": ", ".join(map(str, unknown)), "known": ", ".join(sorted(known))}
            )

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as exc:
            # A key column that cannot be read (an unknown slug, a bad date): name the column.
            errors = {}
            for name in self._meta.import_id_fields:
                field = self.fields[name]
                try:
                    field.clean(row)
                except ValueError as field_exc:
                    errors[field.attribute] = [str(field_exc)]
            raise ValidationError(errors or str(exc)) from exc

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # Many-to-many cells are only saved after the row; read them now so a bad one is reported.
        for field in self.get_import_fields():
            if isinstance(field.widget, StrictManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors.setdefault(field.attribute, []).append(ValidationError(str(exc)))
        key = tuple(str(row.get(name) or "").strip() for name in self._meta.import_id_fields)
        if any(key):
            seen = getattr(self, "_seen_keys", {})
            first = seen.setdefault(key, kwargs.get("row_number"))
            if first != kwargs.get("row_number"):
                field = self.fields[self._meta.import_id_fields[-1]].attribute
                errors.setdefault(field, []).append(
                    ValidationError(
                        _("%(key)s appears twice in this file (first in row %(row)s).")
                        % {"key": " ".join(key), "row": first}
                    )
                )
        if errors:
            raise ValidationError(errors)

    def import_data(self, dataset, *args, **kwargs):
        # An invalid row must roll back the valid ones too, on the confirming run as well.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        user = kwargs.get("user")
        if user is not None:
            instance._history_user = user
        instance._change_reason = _("Imported from %(file)s") % {"file": kwargs.get("file_name") or _("a file")}
        super().save_instance(instance, is_create, row, **kwargs)


class TradeFigureResource(StrictModelResource):
    commission = fields.Field(
        attribute="commission", column_name="commission", widget=LookupWidget(Commission, field="slug")
    )
    reporting_country = fields.Field(
        attribute="reporting_country", column_name="reporting_country", widget=LookupWidget(Country, field="code")
    )

    class Meta:
        model = TradeFigure
        fields = [
            "commission",
            "year",
            "turnover_usd",
            "reporting_country",
            "exports_usd",
            "imports_usd",
            "estimate",
            "source",
            "source_url",
            "source_note",
        ]
        import_id_fields = ["commission", "year"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
