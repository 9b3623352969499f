from . import views  # noqa: F401

app_name = "partnership"

urlpatterns: list = []
