"""Root URLs: language-prefixed public pages, the admin, the API, and machine endpoints."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from projects.documents import document_file
from projects.sitemaps import SITEMAPS

from . import views

# While the database is down, errors outside the views answer 503 too (partnership/middleware.py).
handler500 = "partnership.middleware.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    # No CSRF token on the public language switch: a token would make every public page
    # different for every visitor (and uncacheable); all a forged request could do is change
    # the visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("projects.api_urls")),
    # A file has no language; the view applies the publication rule of the project page.
    path("documents/<int:pk>/<str:name>", document_file, name="document-file"),
]

urlpatterns += i18n_patterns(
    path("", include("partnership.site_urls")),
    path("", include("projects.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    # Public uploads only (agreements' files, people's photos); documents are in DOCUMENT_ROOT.
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
