"""factory_boy factories for every model. Build a published project with `ProjectFactory()`."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from partnership import models as pm
from projects import models as prj


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("pass-for-tests-1")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["KZ", "UZ"])
    name = factory.LazyAttribute(lambda o: {"KZ": "Kazakhstan", "UZ": "Uzbekistan"}.get(o.code, o.code))


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Commission
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = "Kazakhstan–Uzbekistan Intergovernmental Commission"
    slug = "kz-uz"
    trade_target_usd = Decimal("10000000000")
    trade_target_year = 2030

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create:
            self.countries.set(extracted or [CountryFactory(code="KZ"), CountryFactory(code="UZ")])


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Sector

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.WorkingGroup

    commission = factory.SubFactory(CommissionFactory)
    name = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    country = factory.SubFactory(CountryFactory, code="KZ")


class CoChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.CoChair

    person = factory.SubFactory(PersonFactory)
    position = "Deputy Prime Minister"
    working_group = factory.SubFactory(WorkingGroupFactory)
    start_date = datetime.date(2024, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Meeting

    commission = factory.SubFactory(CommissionFactory)
    kind = pm.Meeting.Kind.COMMISSION
    title = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    date = datetime.date(2024, 4, 5)


class DirectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Directive

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Do thing {n}")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Agreement

    commission = factory.SubFactory(CommissionFactory)
    title = factory.Sequence(lambda n: f"Agreement {n}")
    slug = factory.Sequence(lambda n: f"agreement-{n}")
    kind = pm.Agreement.Kind.TREATY
    signed_date = datetime.date(2022, 12, 22)


class TradeFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.TradeFigure

    commission = factory.SubFactory(CommissionFactory)
    year = factory.Sequence(lambda n: 2000 + n)
    turnover_usd = Decimal("4400000000")
    source = "Test source"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Event

    commission = factory.SubFactory(CommissionFactory)
    kind = pm.Event.Kind.CULTURE
    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    start_date = datetime.date(2030, 1, 1)
    published = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = prj.Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = factory.SubFactory(CountryFactory, code="UZ")
    kind = prj.Organisation.Kind.STATE_COMPANY


class ProjectFactory(factory.django.DjangoModelFactory):
    """A published USD project in a working group; pass publication=... for other states."""

    class Meta:
        model = prj.Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T-{n:05d}")
    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "A joint project."
    working_group = factory.SubFactory(WorkingGroupFactory)
    status = prj.Project.Status.IMPLEMENTATION
    investment_amount = Decimal("1000000")
    investment_currency = "USD"
    publication = prj.Publication.PUBLISHED

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = prj.ProjectParticipant

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = prj.ProjectParticipant.Role.INVESTOR


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = prj.ProjectLocation

    project = factory.SubFactory(ProjectFactory)
    country = factory.SubFactory(CountryFactory, code="UZ")
    region = "Tashkent region"
    latitude = Decimal("41.3")
    longitude = Decimal("69.2")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = prj.Task

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    status = prj.Task.Status.PLANNED


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = prj.ProgressUpdate

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Update {n}")
    body = "Work goes on."
    reported_on = datetime.date(2026, 1, 15)
    publication = prj.Publication.PUBLISHED


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = prj.Document

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    url = "https://example.org/report.pdf"
    published = True


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = prj.ExchangeRate

    currency = "KZT"
    date = datetime.date(2025, 1, 1)
    units_per_usd = Decimal("500")
    source = "Test central bank"
