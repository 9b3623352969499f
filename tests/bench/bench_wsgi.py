"""The WSGI application the bench serves through gunicorn: production settings with the floor URL.

With BENCH_QUERY_LOG set (the cold pass only), every request appends "<path>\t<statements>" to
that file when its response is closed, so streamed responses count the statements they send while
streaming too.
"""

import os

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
application = get_wsgi_application()


class QueryLog:
    def __init__(self, path):
        self.path = path
        self.count = 0
        self.request_path = ""

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def started(self, sender, environ, **kwargs):
        self.count = 0
        self.request_path = environ.get("PATH_INFO", "") + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""
        )
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)

    def finished(self, sender, **kwargs):
        with open(self.path, "a") as log:
            log.write(f"{self.request_path}\t{self.count}\n")


if os.environ.get("BENCH_QUERY_LOG"):
    query_log = QueryLog(os.environ["BENCH_QUERY_LOG"])
    request_started.connect(query_log.started, dispatch_uid="bench-query-log-started")
    request_finished.connect(query_log.finished, dispatch_uid="bench-query-log-finished")
