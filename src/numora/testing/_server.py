"""The fake as a real HTTP/1.1 server on loopback (standard library only)."""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ._faults import InjectedFault
from ._transport import Handler


class FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Tests start and stop servers quickly; a port in TIME_WAIT must not block the next one.
    allow_reuse_address = True
    # The default backlog of 5 drops SYNs when a client opens a burst of connections (each
    # dropped one then waits ~1 s for the kernel to retransmit).
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: Handler, fault_timeout: float) -> None:
        super().__init__(address, _RequestHandler)
        self.fake_handler = handler
        self.fault_timeout = fault_timeout
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        with self._open_lock:
            self._open.add(connection)
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close(self) -> None:
        """Stop serving and close kept-alive connections, so no handler thread lingers."""
        self.stopping.set()
        self.shutdown()
        self.server_close()
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real clients expect
    # Headers and body are separate small writes: with Nagle on, each answer would stall
    # ~40 ms on the client's delayed ACK (22 requests/s instead of ~1,000).
    disable_nagle_algorithm = True
    server: FakeHTTPServer

    def __getattr__(self, name: str) -> Any:
        # Every method reaches the router (http.server would answer an unknown one, such
        # as TRACE, with its own HTML 501): the API answers with its documented error body.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the fake records requests itself; stderr noise helps no test

    def _body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _serve(self) -> None:
        target = urlsplit(self.path)
        query = parse_qs(target.query, keep_blank_values=True)
        headers = {name: value for name, value in self.headers.items()}
        try:
            status, reply_headers, body = self.server.fake_handler(
                self.command, target.path, query, headers, self._body()
            )
        except InjectedFault as fault:
            if fault.kind == "timeout":
                self.server.stopping.wait(self.server.fault_timeout)
            self._drop()
            return
        try:
            self.send_response(status)
            for name, value in reply_headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":  # a HEAD answer has headers only
                self.wfile.write(body)
        except ConnectionError:  # the client hung up (e.g. its timeout): nothing to answer
            self.close_connection = True

    def _drop(self) -> None:
        """Close the connection without a word, as a crashed server or a cut network would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
