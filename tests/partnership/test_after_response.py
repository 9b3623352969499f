"""Work queued during a request runs once the response is closed (the answer sent), not before."""

import logging

import pytest
from django.core import signals
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import RequestFactory

from partnership.after_response import AfterResponseMiddleware, after_response


@pytest.fixture(autouse=True)
def no_connection_handling():
    """Closing a response ends the request; as in the test client, the connections are the test's."""
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_finished.connect(close_old_connections)


def answer_queuing(*works):
    def view(request):
        for work in works:
            after_response(work)
        return HttpResponse("the answer")

    return AfterResponseMiddleware(view)(RequestFactory().get("/"))


def test_queued_work_waits_until_the_response_is_closed():
    done = []
    response = answer_queuing(lambda: done.append("first"), lambda: done.append("second"))
    assert response.content == b"the answer"
    assert done == []  # the answer is complete, nothing ran yet
    response.close()
    assert done == ["first", "second"]


def test_a_failing_work_is_logged_and_the_rest_still_run(caplog):
    done = []

    def fails():
        raise RuntimeError("disk full")

    response = answer_queuing(fails, lambda: done.append("after"))
    with caplog.at_level(logging.ERROR, logger="partnership.after_response"):
        response.close()
    assert done == ["after"]
    assert "disk full" in caplog.text


def test_outside_a_request_work_runs_at_once():
    done = []
    after_response(lambda: done.append("now"))
    assert done == ["now"]
    # A request's queue does not outlive it.
    answer_queuing().close()
    after_response(lambda: done.append("again"))
    assert done == ["now", "again"]
