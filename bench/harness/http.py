"""A minimal HTTP/1.1 server on asyncio, enough for feed clients and webhook posters.

Keep-alive is honoured (both programs under test pool their connections), bodies are read by
Content-Length or chunked encoding, and a handler may delay its answer or never answer at all
(a hanging feed). Thousands of concurrent connections cost one coroutine each, which a threaded
server could not afford when rss-forwarder opens one connection per feed at start-up.
"""

import asyncio
from dataclasses import dataclass, field

REASONS = {200: "OK", 304: "Not Modified", 404: "Not Found", 429: "Too Many Requests",
           500: "Internal Server Error"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Response:
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    # Seconds to wait before answering; None means never answer (the client must time out).
    delay: float | None = 0.0


async def _read_chunked(reader):
    chunks = []
    while True:
        size_line = await reader.readline()
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            # Trailers, up to the blank line.
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readline()


async def _read_request(reader):
    line = await reader.readline()
    if not line:
        return None
    parts = line.decode("latin-1").split()
    if len(parts) < 2:
        return None
    headers = {}
    while True:
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = await _read_chunked(reader)
    elif int(headers.get("content-length") or 0) > 0:
        body = await reader.readexactly(int(headers["content-length"]))
    return Request(parts[0], parts[1], headers, body)


def _encode(response):
    head = [f"HTTP/1.1 {response.status} {REASONS.get(response.status, 'Status')}"]
    headers = dict(response.headers)
    if response.status != 304:
        headers["Content-Length"] = str(len(response.body))
    head += [f"{name}: {value}" for name, value in headers.items()]
    payload = b"" if response.status == 304 else response.body
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload


async def _serve_connection(handler, reader, writer):
    try:
        while True:
            request = await _read_request(reader)
            if request is None:
                break
            response = handler(request)
            if response.delay is None:
                # Hang: hold the connection open until the client gives up or the run ends.
                await reader.read()
                break
            if response.delay > 0:
                await asyncio.sleep(response.delay)
            writer.write(_encode(response))
            await writer.drain()
            if request.headers.get("connection", "").lower() == "close":
                break
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    except asyncio.CancelledError:
        # The run ended while this connection waited (a slow or hanging feed).
        pass
    finally:
        writer.close()


async def serve(handler, port=0, host="127.0.0.1"):
    """Starts a server on `host:port` (0 picks a free port); returns (server, port)."""
    server = await asyncio.start_server(
        lambda r, w: _serve_connection(handler, r, w), host, port, backlog=4096, limit=1 << 20)
    return server, server.sockets[0].getsockname()[1]
