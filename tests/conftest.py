import pytest
from django.core.cache import cache
from django.utils import timezone

from partnership.permissions import setup_roles


@pytest.fixture
def today():
    """The local date the code under test uses, read when the test runs (never at import, which
    would be wrong after midnight); tests build their dates relative to it."""
    return timezone.localdate()


@pytest.fixture(autouse=True)
def plain_http(settings):
    """The test client speaks plain HTTP, as an intranet with PLAIN_HTTP=1 (Makefile's TEST_ENV),
    also when the suite is run without that variable."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0


@pytest.fixture
def api():
    """An anonymous API client."""
    from tests.helpers import client_for

    return client_for()


@pytest.fixture
def fresh_throttle():
    """The anonymous rate limit counts in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def roles(db):
    """The Secretariat and Working-group editor groups, as `manage.py setup_roles` makes them."""
    setup_roles()


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def secretariat(roles, settings):
    """A member of the Secretariat group (staff, not a superuser)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS  # test users need no strong hashing
    from django.contrib.auth.models import Group

    from partnership.permissions import SECRETARIAT
    from tests.factories import UserFactory

    user = UserFactory(username="secretariat")
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


@pytest.fixture
def make_editor(roles, settings):
    """`make_editor(group, ..., username=...)`: a staff user in the editor role, editor of those groups."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    from django.contrib.auth.models import Group

    from partnership.permissions import EDITOR
    from tests.factories import UserFactory

    def make(*groups, username=None):
        user = UserFactory(**({"username": username} if username else {}))
        user.groups.add(Group.objects.get(name=EDITOR))
        for group in groups:
            group.editors.add(user)
        return user

    return make


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request in another language leaves that language active; start every test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Tests write inside a transaction that never commits, so the content version would never
    move: the page cache is off and empty unless a test turns it on (tests/partnership/test_cache.py)."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 0
    settings.EXPORT_CACHE_SECONDS = 0  # report downloads (projects/report_delivery.py), likewise
    cache.clear()
    yield
    cache.clear()
