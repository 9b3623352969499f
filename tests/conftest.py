import pytest

from projects.permissions import setup_roles


@pytest.fixture
def roles(db):
    """The Secretariat and Working-group editor groups, as `manage.py setup_roles` makes them."""
    setup_roles()
