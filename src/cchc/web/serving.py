"""What `cchc serve` puts around cchc.wsgi.application, and how it runs it (docs/adr/0004-serve-workers.md).

gunicorn (several worker processes, each with a few threads) where it runs, i.e. not on Windows; waitress (one
process, threads) elsewhere or when asked. Both get the same WSGI wrapper, `guarded`, which

- answers nothing to a request whose client has already gone (it waited in a queue, then the user closed the tab
  or their proxy timed out): the page is not computed for nobody;
- gives a chunked request body (no Content-Length) a length, reading at most one byte over the limit, so that
  RequestBodyLimitMiddleware refuses an oversized one with its Vietnamese page. waitress already does this itself.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

# Enough for a 2-core machine's 5 and an 8-core one's 17 would be too many database connections (x threads each).
MAX_AUTO_WORKERS = 8
GUNICORN_THREADS = 4
WAITRESS_THREADS = 8
# What a client that left gets: nobody reads it. 499 is the status nginx logs for the same case.
GONE_STATUS = "499 Client Closed Request"
_SPOOL_IN_MEMORY = 1024 * 1024

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def cores() -> int:
    """The cores this process may run on (a container's or taskset's share, not the whole machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    return max(1, min(2 * cores() + 1, MAX_AUTO_WORKERS))


def gunicorn_available() -> bool:
    """gunicorn needs fork and fcntl: not on Windows."""
    if sys.platform == "win32":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def client_gone(environ: dict) -> bool:
    """Whether the client closed its connection before this request started to be computed.

    Under gunicorn, a peek at the socket: end of file means the client shut it. Data waiting (the body, a pipelined
    request) or nothing yet both mean it is still there. Under waitress, its own flag (channel_request_lookahead).
    A client that half-closes its side after sending (rare, never a browser) would be taken as gone.
    """
    check = environ.get("waitress.client_disconnected")
    if check is not None:
        return bool(check())
    sock = environ.get("gunicorn.socket")
    if not isinstance(sock, socket.socket):
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except ValueError:  # a TLS socket takes no flags: it cannot be peeked at, so it counts as there
        return False
    except OSError:  # reset by the peer, or not a connected socket any more
        return True


def _bound_chunked_body(environ: dict, limit: int) -> None:
    """Reads a chunked body up to limit + 1 bytes into a spooled file and gives it as the request's body.

    Django reads a body only as far as CONTENT_LENGTH: without one it would see an empty form. Over the limit, the
    length says limit + 1 and the middleware refuses the request without reading on; the rest stays unread and the
    server closes the connection rather than drain it (gunicorn drains at most 64 KiB).
    """
    source = environ["wsgi.input"]
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)
    size = 0
    while size <= limit:
        piece = source.read(min(65536, limit + 1 - size))
        if not piece:
            break
        spool.write(piece)
        size += len(piece)
    spool.seek(0)
    environ["wsgi.input"] = spool
    environ["CONTENT_LENGTH"] = str(size)


def guarded(application: WSGIApp, body_limit: int) -> WSGIApp:
    """`application` behind the two checks of this module's docstring."""

    def guarded_application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if client_gone(environ):
            start_response(GONE_STATUS, [("Content-Length", "0")])
            return [b""]
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH") and "gunicorn.socket" in environ:
            _bound_chunked_body(environ, body_limit)
        return application(environ, start_response)

    return guarded_application


def stop_on_sigterm() -> None:
    """waitress runs in this process: make SIGTERM stop it as Ctrl+C does (KeyboardInterrupt), so that what the
    caller started beside it (the background worker) is stopped too, instead of the process dying on the spot."""
    import signal

    def interrupt(_signum, _frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def run_waitress(
    application: WSGIApp, *, host: str, port: int, threads: int, body_limit: int, on_ready: Callable[[], None]
) -> None:
    """Runs waitress in this process until Ctrl+C or SIGTERM; `on_ready` once it listens."""
    import logging

    from waitress import create_server

    logging.basicConfig()  # as waitress.serve does: its warnings (a deep task queue) reach the console
    server = create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="cchc",
        max_request_body_size=body_limit,
        # waitress reads ahead on each connection while a request is computed, and so knows when its client left.
        channel_request_lookahead=4,
    )
    on_ready()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def run_gunicorn(
    application: WSGIApp, *, host: str, port: int, workers: int, threads: int, on_ready: Callable[[], None]
) -> None:
    """Runs gunicorn's arbiter in this process until SIGTERM/SIGINT (graceful stop) or SIGQUIT."""
    from gunicorn.app.base import BaseApplication
    from gunicorn.http import wsgi as gunicorn_wsgi

    # The Server header names us, as waitress's ident does, not the server software.
    gunicorn_wsgi.SERVER = "cchc"

    options: dict[str, Any] = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # The application is already loaded here: each worker is a fork of it (shared memory, no import per worker).
        "preload_app": True,
        # A request may compute for a while (a report of a year): a worker is killed only after this long silent.
        "timeout": 120,
        "graceful_timeout": 20,
        "keepalive": 5,
        # The request line and headers: gunicorn's defaults, bounded (the body is bounded by `guarded` + middleware).
        "limit_request_line": 4094,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "loglevel": "warning",
        "accesslog": None,
        "when_ready": lambda _arbiter: on_ready(),
        # Forwarded headers are judged by TrustedProxyMiddleware (CCHC_TRUSTED_PROXIES), not by gunicorn.
        "forwarded_allow_ips": "",
    }

    class CchcGunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> WSGIApp:
            return application

    CchcGunicorn().run()
