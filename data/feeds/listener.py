"""The HTTP listener trackers report to (OsmAnd protocol, default port 5055).

asyncio with httptools (the C HTTP parser uvicorn uses) rather than http.server: one thread serves
thousands of keep-alive connections, and every limit is ours to set: body size (413), time to send
a whole request (408, then the connection is closed), malformed HTTP (400). A report is answered
only after the ingest writer has committed it.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import logging
import resource
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl

import httptools

from data.feeds.ingest import FixIngest, Outcome
from data.feeds.osmand import BadReport, parse_request

log = logging.getLogger(__name__)

REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
           413: "Payload Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
           431: "Request Header Fields Too Large", 503: "Service Unavailable"}
ACCEPT_BACKLOG = 128  # the listen queue; asyncio also accepts up to this many in one go
# Open files kept back from connections: the store, its WAL, the log, pipes; and a few accept bursts,
# since asyncio makes an accepted connection known a few loop turns after accepting it, and a connection
# closed to make room frees its file a turn after that (measured: with one burst kept back, a flood of
# connections still hit "Too many open files", and asyncio then stops accepting for a second).
FD_RESERVE = 64 + 4 * ACCEPT_BACKLOG


def _finite(limit: int) -> int:
    return 1 << 20 if limit == resource.RLIM_INFINITY else limit  # "unlimited": a million is plenty


def raise_open_file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit (as nginx's worker_rlimit_nofile
    does): the common soft limit of 1,024 would otherwise cap the trackers a feed can hold open.
    Returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = max(_finite(soft), _finite(hard))
    if _finite(soft) < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:
            log.warning("could not raise the open-file limit from %d to %d: %s", soft, target, exc)
    return soft


def connection_cap() -> int:
    """The most connections this process may hold open: its open-file limit less a reserve, so that
    accepting one more never fails with "Too many open files" (a refused connection still gets its 503)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max(8, _finite(soft) - FD_RESERVE)


@dataclass
class ListenerSettings:
    host: str = "127.0.0.1"
    port: int = 5055
    max_body: int = 16 * 1024  # a report is a few hundred bytes
    max_headers: int = 16 * 1024
    request_timeout: float = 10.0  # a whole request must arrive within this
    idle_timeout: float = 75.0  # keep-alive connections with nothing to say are closed
    # Connections held at most (None: the open-file limit less a reserve). At the cap a new connection
    # takes the place of the one idle longest; if every one is mid-request it is answered 503.
    max_connections: int | None = None
    retry_after_s: int = 5  # told to clients refused for load (503) or for guessing ids (429)
    # Reports for ids bound to no team, per address: a burst, then this many a minute (then 429). A new
    # handset not yet bound reports a few times a minute; a client testing ids makes thousands.
    unknown_burst: int = 30
    unknown_per_minute: float = 30.0
    # Addresses trackers may report from (networks such as 10.0.0.0/8); empty: any. Others get 403.
    allow: tuple = ()

    def allows(self, host: str | None) -> bool:
        if not self.allow:
            return True
        try:
            addr = ipaddress.ip_address((host or "").split("%")[0])
        except ValueError:
            return False
        return any(addr in net for net in self.allow)


def parse_allow(text: str) -> tuple:
    """"10.0.0.0/8,192.168.1.20" -> networks; ValueError with the bad part named."""
    out = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{part!r} is not an address or network (e.g. 10.0.0.0/8)") from None
    return tuple(out)


def report_key(target: str, headers: dict[bytes, bytes], body: bytes, ctype: str) -> str | None:
    """The device key a report carries: `key=` in its URL (Traccar Client's server URL can hold it)
    or form body, or an Authorization header (Bearer KEY, or the password of Basic)."""
    auth = headers.get(b"authorization", b"").decode("latin-1").strip()
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    if auth.lower().startswith("basic "):
        try:
            return base64.b64decode(auth[6:].strip()).decode("utf-8").split(":", 1)[1] or None
        except (ValueError, IndexError, UnicodeDecodeError):
            return None
    query = target.split("?", 1)[1] if "?" in target else ""
    if ctype.startswith("application/x-www-form-urlencoded"):
        query += "&" + body.decode("utf-8", "replace")
    for k, v in parse_qsl(query, keep_blank_values=True):
        if k == "key":
            return v or None
    return None


def _response(status: int, reason: str, keep_alive: bool, retry_after: int | None = None) -> bytes:
    """An answer; errors and not-stored fixes say why in the body (and a header, for 200)."""
    body = (reason + "\n").encode() if status != 200 or reason not in ("stored", "") else b""
    head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}", f"Content-Length: {len(body)}",
            "Content-Type: text/plain; charset=utf-8"]
    if retry_after is not None:
        head.append(f"Retry-After: {retry_after}")
    if status == 200 and reason not in ("stored", ""):
        head.append(f"X-GridWatch-Not-Stored: {reason}")
    head.append("Connection: keep-alive" if keep_alive else "Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class _Connection(asyncio.Protocol):
    def __init__(self, server: "OsmAndListener"):
        self.server = server
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self._reset()
        self._timer: asyncio.TimerHandle | None = None
        self._busy = False  # a report is with the writer; answers go out in order
        self._queue: list[tuple] = []  # (answer's future, keep alive, Retry-After or None), in request order
        self.in_request = False

    def _reset(self) -> None:
        self.url = b""
        self.headers: dict[bytes, bytes] = {}
        self.body = bytearray()
        self.header_bytes = 0
        self.error: tuple[int, str] | None = None

    # --- asyncio.Protocol -----------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = peer[0] if peer else ""
        self.allowed = self.server.settings.allows(self.peer or None)
        if not self.server.make_room():
            self.server.count("refused_full")
            transport.write(_response(503, "the listener is at its connection limit; try again shortly", False,
                                      self.server.settings.retry_after_s))
            transport.close()
            self.transport = None
            return
        self.server.connections.add(self)
        self.server.idle[self] = None
        # A new connection must send its request soon: one that says nothing is closed as slowloris is.
        self._arm(self.server.settings.request_timeout)

    def connection_lost(self, exc) -> None:
        self.server.connections.discard(self)
        self.server.idle.pop(self, None)
        if self._timer:
            self._timer.cancel()

    def data_received(self, data: bytes) -> None:
        self.server.idle.pop(self, None)  # a request is on its way: not a candidate to make room
        if self._timer is None or self._timer.when() - self.server.loop.time() > self.server.settings.request_timeout:
            self._arm(self.server.settings.request_timeout)  # a request has started: it must finish in time
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(400, "protocol upgrades are not supported")
        except httptools.HttpParserError as exc:
            if self.error:
                self._fail(*self.error)
            else:
                self._fail(400, f"malformed HTTP request ({exc})")

    def _arm(self, seconds: float) -> None:
        if self._timer:
            self._timer.cancel()
        self._timer = self.server.loop.call_later(seconds, self._timed_out)

    def _timed_out(self) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        if self.in_request or not self.url:
            # Mid-request, or connected and silent since: 408. Idle after an answer: closed without a word.
            self.server.count("timeout")
            self.transport.write(_response(408, "the request did not arrive in time", False))
        self.transport.close()

    def _fail(self, status: int, reason: str) -> None:
        self.server.count("bad_request" if status in (400, 405, 415) else f"http_{status}")
        self.server.idle.pop(self, None)
        if self.transport and not self.transport.is_closing():
            self.transport.write(_response(status, reason, False))
            self.transport.close()

    # --- httptools callbacks ----------------------------------------------------------------------
    def on_message_begin(self) -> None:
        self._reset()
        self.in_request = True

    def on_url(self, url: bytes) -> None:
        self.url += url
        if len(self.url) > self.server.settings.max_headers:
            self.error = (431, "the request line is too long")
            raise httptools.HttpParserError("too long")

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_bytes += len(name) + len(value)
        if self.header_bytes > self.server.settings.max_headers:
            self.error = (431, "the request headers are too large")
            raise httptools.HttpParserError("too large")
        self.headers[name.lower()] = value

    def on_headers_complete(self) -> None:
        length = self.headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.server.settings.max_body:
            self.error = (413, f"the body is larger than {self.server.settings.max_body} bytes")
            raise httptools.HttpParserError("too large")

    def on_body(self, body: bytes) -> None:
        self.body += body
        if len(self.body) > self.server.settings.max_body:
            self.error = (413, f"the body is larger than {self.server.settings.max_body} bytes")
            raise httptools.HttpParserError("too large")

    def on_message_complete(self) -> None:
        self.in_request = False
        keep_alive = self.parser.should_keep_alive()
        method = self.parser.get_method().decode("ascii", "replace")
        self._arm(self.server.settings.idle_timeout)
        try:
            target = self.url.decode("ascii")
        except UnicodeDecodeError:
            self._answer(400, "the request target is not ASCII", keep_alive)
            return
        if not self.allowed:
            self.server.count("address_refused")
            self._answer(403, "this address may not report (the listener's allow-list)", keep_alive)
            return
        ctype = self.headers.get(b"content-type", b"").decode("latin-1")
        try:
            report = parse_request(method, target, ctype, bytes(self.body), datetime.now(timezone.utc))
        except BadReport as exc:
            self.server.count("bad_request")
            self._answer(exc.status, exc.reason, keep_alive)
            return
        if not self.server.ingest.knows(report.device_id) and not self.server.may_try_unknown(self.peer):
            # This address has reported too many ids bound to no team: it is guessing, or misconfigured.
            self.server.count("unknown_limited")
            self._answer(429, "too many reports for unknown devices from this address", keep_alive,
                         self.server.settings.retry_after_s)
            return
        fut = self.server.loop.create_future()
        self._queue.append((fut, keep_alive, None))
        server = self.server

        def done(outcome: Outcome, fut=fut) -> None:  # on the writer thread
            server.resolve_later(fut, outcome)

        key = report_key(target, self.headers, bytes(self.body), ctype) if self.server.ingest.require_key else None
        self.server.ingest.submit(report, done, key=key)
        fut.add_done_callback(lambda _f: self._flush())

    def _answer(self, status: int, reason: str, keep_alive: bool, retry_after: int | None = None) -> None:
        fut = self.server.loop.create_future()
        fut.set_result(Outcome(status, reason))
        self._queue.append((fut, keep_alive and (status < 400 or status == 429), retry_after))
        self._flush()

    def _flush(self) -> None:
        """Send answers in request order (pipelined requests), each once its outcome is known."""
        while self._queue and self._queue[0][0].done():
            fut, keep_alive, retry_after = self._queue.pop(0)
            outcome: Outcome = fut.result()
            if outcome.reason == "unknown_device":
                self.server.charge_unknown(self.peer)
            if self.transport is None or self.transport.is_closing():
                return
            if retry_after is None and outcome.status == 503:
                retry_after = self.server.settings.retry_after_s
            self.transport.write(_response(outcome.status, outcome.text, keep_alive, retry_after))
            if not keep_alive:
                self.transport.close()
                return
        if not self._queue and not self.in_request and self.transport is not None and not self.transport.is_closing():
            self.server.idle[self] = None  # answered and waiting for its next request: may make room
            self.server.idle.move_to_end(self)




class OsmAndListener:
    """Serves the OsmAnd protocol on one asyncio loop (its own thread, or the caller's)."""

    def __init__(self, ingest: FixIngest, settings: ListenerSettings | None = None):
        self.ingest = ingest
        self.settings = settings or ListenerSettings()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.connections: set[_Connection] = set()
        # Connections with no request in progress, longest idle first: the ones a new connection may
        # replace at the cap (an idle keep-alive connection costs its phone one reconnect).
        self.idle: OrderedDict[_Connection, None] = OrderedDict()
        self.http_counts: dict[str, int] = {}
        self.cap = self.settings.max_connections or connection_cap()
        # Per address: (tokens, when last refilled) of the unknown-id budget; the newest few thousand kept.
        self._unknown_budget: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()
        self.port: int | None = None
        self.error: str | None = None
        # Outcomes decided on the writer thread, handed to the loop in bursts: one wake-up of the loop
        # per committed batch rather than one per report (each wake-up is a write to the loop's pipe).
        self._decided: list[tuple[asyncio.Future, Outcome]] = []
        self._decided_lock = threading.Lock()

    def resolve_later(self, fut: asyncio.Future, outcome: Outcome) -> None:
        """Called on the writer thread: the report's answer, sent by the loop soon."""
        with self._decided_lock:
            first = not self._decided
            self._decided.append((fut, outcome))
        if first:
            try:
                self.loop.call_soon_threadsafe(self._resolve_decided)
            except RuntimeError:
                pass  # the listener stopped; the fix is stored and the client has gone

    def _resolve_decided(self) -> None:
        with self._decided_lock:
            decided, self._decided = self._decided, []
        for fut, outcome in decided:
            if not fut.done():
                fut.set_result(outcome)

    def count(self, what: str) -> None:
        self.http_counts[what] = self.http_counts.get(what, 0) + 1

    def make_room(self) -> bool:
        """True when one more connection may be held: under the cap, or after closing the connection
        idle longest; False when every held connection is mid-request (the new one is refused)."""
        if len(self.connections) < self.cap:
            return True
        while self.idle:
            oldest, _ = self.idle.popitem(last=False)
            if oldest.transport is not None and not oldest.transport.is_closing():
                self.count("closed_for_room")
                self.connections.discard(oldest)
                oldest.transport.close()
                return True
        return False

    def _budget(self, peer: str) -> float:
        s = self.settings
        tokens, at = self._unknown_budget.get(peer, (float(s.unknown_burst), time.monotonic()))
        now = time.monotonic()
        return min(float(s.unknown_burst), tokens + (now - at) * s.unknown_per_minute / 60.0)

    def may_try_unknown(self, peer: str) -> bool:
        """Whether a report that may carry an unbound id is let through from this address now."""
        return self._budget(peer) >= 1.0

    def charge_unknown(self, peer: str) -> None:
        """One report from this address named an id bound to no team: it spends one of its budget."""
        self._unknown_budget[peer] = (self._budget(peer) - 1.0, time.monotonic())
        self._unknown_budget.move_to_end(peer)
        while len(self._unknown_budget) > 10_000:
            self._unknown_budget.popitem(last=False)

    async def serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        try:
            self._server = await self.loop.create_server(lambda: _Connection(self), self.settings.host,
                                                         self.settings.port, reuse_address=True, backlog=ACCEPT_BACKLOG)
        except OSError as exc:
            self.error = f"cannot listen on {self.settings.host}:{self.settings.port}: {exc.strerror or exc}"
            self.ready.set()
            raise
        self.port = self._server.sockets[0].getsockname()[1]
        self.ready.set()
        async with self._server:
            await self._server.serve_forever()

    async def drain(self, grace: float = 1.2) -> int:
        """Stop taking reports and let those in flight finish: no new connection, no new request read;
        each report already handed to the writer is answered once it is committed (or refused), for up
        to `grace` seconds; then every connection is closed. A request left unanswered was never
        acknowledged: the tracker sends it again. Returns how many were still waiting at the end."""
        loop = asyncio.get_running_loop()
        if self._server is not None:
            self._server.close()
        for c in list(self.connections):
            if c.transport is not None and not c.transport.is_closing():
                c.transport.pause_reading()

        def waiting() -> int:
            return sum(1 for c in self.connections for f, *_rest in c._queue if not f.done())
        end = loop.time() + grace
        while waiting() and loop.time() < end:
            await asyncio.sleep(0.01)
        left = waiting()
        for c in list(self.connections):
            if c.transport is not None:
                c.transport.close()
        return left

    def start_in_thread(self, timeout: float = 5.0) -> "OsmAndListener":
        """Run on a background thread (the console's in-process listener, tests)."""
        def run() -> None:
            try:
                asyncio.run(self.serve())
            except OSError:
                log.exception("the tracker listener stopped")
            except asyncio.CancelledError:
                pass  # stopped on purpose
        self._thread = threading.Thread(target=run, name="osmand-listener", daemon=True)
        self._thread.start()
        self.ready.wait(timeout)
        if self.error:
            raise OSError(self.error)
        return self

    def stop(self) -> None:
        if self.loop is None or self._server is None:
            return
        def shutdown() -> None:
            self._server.close()
            for c in list(self.connections):
                if c.transport:
                    c.transport.close()
            for task in asyncio.all_tasks(self.loop):
                task.cancel()
        self.loop.call_soon_threadsafe(shutdown)
        if self._thread:
            self._thread.join(5)

    def status(self) -> dict:
        return {"port": self.port, "connections": len(self.connections), "connection_cap": self.cap, **self.http_counts}
