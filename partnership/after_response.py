"""Work that need not hold up an answer: run once the answer has been sent.

`after_response(work)` inside a request queues `work` until the server closes the response (a WSGI
or ASGI server does that once the last byte is out; Django's test client does it before returning
the response). Outside a request (a management command, a test calling a function directly) it runs
at once. What it queues is the request's: it runs on the request's thread and database connection,
so it still sees that connection's temporary tables, and before Django's own end-of-request
handling closes the connection.
"""

import contextvars
import logging

logger = logging.getLogger("partnership.after_response")

_pending = contextvars.ContextVar("after_response", default=None)


def after_response(work):
    """Run `work()` after the answer has been sent, or now when there is no request."""
    pending = _pending.get()
    if pending is None:
        work()
    else:
        pending.append(work)


def _run(pending):
    for work in pending:
        try:
            work()
        except Exception:  # the answer is out: log it, as a server error would be, and go on
            logger.exception("Work after the response failed: %r", work)


class AfterResponseMiddleware:
    """Gives each request its queue, and hands it to the response to run when closed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = []
        token = _pending.set(pending)
        try:
            response = self.get_response(request)
        finally:
            _pending.reset(token)
        if pending:
            # HttpResponseBase.close() calls these first, then sends request_finished (which may
            # close the database connection).
            response._resource_closers.append(lambda: _run(pending))
        return response
