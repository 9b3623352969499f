"""Production settings plus one extra URL, the floor (see bench_urls); used only by the bench."""

from partnership.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
