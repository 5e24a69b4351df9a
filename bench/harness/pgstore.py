"""A PostgreSQL state for a run (`--store postgres`): a fresh database on the local server,
created before the run and dropped after it, and what the run cost the database.

feedhook reaches the database through a counting proxy on 127.0.0.1 that reads the client's
side of the wire protocol: every Sync (the end of an extended-protocol exchange) and every
simple Query is one round trip to the server. The server's own counters (pg_stat_database:
transactions, rows read and written) are read before and after, and the CPU time of the
server processes serving the database (found in pg_stat_activity, read from /proc) is sampled
while the run lasts.
"""

import asyncio
import os
import struct
import subprocess
import time
import urllib.parse

TICK = os.sysconf("SC_CLK_TCK")
COUNTERS = ["xact_commit", "xact_rollback", "tup_returned", "tup_fetched", "tup_inserted",
            "tup_updated", "tup_deleted"]


def psql(server, sql, database=None):
    """Runs `sql` on `server` (a postgres:// URL), in `database` if given; the rows as lists."""
    url = urllib.parse.urlsplit(server)
    if database:
        url = url._replace(path="/" + database)
    out = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", urllib.parse.urlunsplit(url), "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


class RoundTripProxy:
    """Forwards 127.0.0.1:port to the server, counting the client's Sync and Query messages."""

    def __init__(self, host, port):
        self.upstream = (host, port)
        self.round_trips = 0
        self.server = None
        self.port = None

    async def start(self):
        self.server = await asyncio.start_server(self._link, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self):
        self.server.close()
        await self.server.wait_closed()

    async def _link(self, client_reader, client_writer):
        server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        await asyncio.gather(self._frontend(client_reader, server_writer),
                             self._pipe(server_reader, client_writer),
                             return_exceptions=True)

    async def _frontend(self, reader, writer):
        """Client to server, message by message; the first (startup) message has no type byte."""
        try:
            length = struct.unpack("!I", await reader.readexactly(4))[0]
            writer.write(struct.pack("!I", length) + await reader.readexactly(length - 4))
            while True:
                head = await reader.readexactly(5)
                kind, length = head[:1], struct.unpack("!I", head[1:])[0]
                if kind in (b"S", b"Q"):
                    self.round_trips += 1
                writer.write(head + await reader.readexactly(length - 4))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    @staticmethod
    async def _pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()


class PgStore:
    """A fresh database for one program run; `url` is what feedhook's `[store] url` gets."""

    def __init__(self, server, label):
        self.server = server
        self.name = f"feedhook_bench_{label}_{os.getpid()}_{int(time.time())}"
        parts = urllib.parse.urlsplit(server)
        self.proxy = RoundTripProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
        self.user = parts.username or "postgres"
        self.backend_cpu = {}
        self._sampler = None

    @property
    def url(self):
        return (f"postgres://{self.user}@127.0.0.1:{self.proxy.port}/{self.name}"
                "?sslmode=disable")

    async def __aenter__(self):
        psql(self.server, f'CREATE DATABASE "{self.name}"')
        await self.proxy.start()
        self._sampler = asyncio.create_task(self._sample_backends())
        return self

    async def __aexit__(self, *exc):
        self._sampler.cancel()
        await self.proxy.stop()
        psql(self.server, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def counters(self):
        psql(self.server, "SELECT pg_stat_force_next_flush()", self.name)
        row = psql(self.server, f"SELECT {', '.join(COUNTERS)} FROM pg_stat_database "
                                "WHERE datname = current_database()", self.name)[0]
        return dict(zip(COUNTERS, map(int, row)), round_trips=self.proxy.round_trips)

    async def _sample_backends(self):
        """Keeps the latest CPU time of each server process connected to the database."""
        sql = ("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
               "AND pid <> pg_backend_pid()")
        while True:
            pids = await asyncio.to_thread(psql, self.server, sql, self.name)
            for (pid,) in pids:
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    self.backend_cpu[pid] = (int(fields[11]) + int(fields[12])) / TICK
                except (FileNotFoundError, ProcessLookupError, IndexError):
                    pass
            await asyncio.sleep(2.0)


def point_config(opts, config):
    """Rewrites the `[store] path` line of feedhook's `config` to the run's database, if any."""
    url = getattr(opts, "store_url", None)
    if not url:
        return
    lines = config.read_text().splitlines()
    lines = [f'url = "{url}"' if line.startswith("path = ") else line for line in lines]
    config.write_text("\n".join(lines))


async def around(opts, program, run):
    """Runs `run()` (one scenario for `program`) on a fresh database when `--store postgres`,
    adding the database's figures to its result."""
    if opts.store != "postgres" or program.fmt != "feedhook":
        result = await run()
        result["store"] = "sqlite" if program.fmt == "feedhook" else "-"
        return result
    async with PgStore(opts.pg_server, program.label) as store:
        opts.store_url, opts.store_database = store.url, store.name
        before = store.counters()
        try:
            result = await run()
        finally:
            opts.store_url = opts.store_database = None
        after = store.counters()
        result.update(figures(before, after, result.get("polls"), store.backend_cpu))
    return result


def figures(before, after, polls, backend_cpu):
    delta = {key: after[key] - before[key] for key in after}
    out = {"store": "postgres",
           "db_round_trips": delta["round_trips"],
           "db_transactions": delta["xact_commit"] + delta["xact_rollback"],
           "db_rows_written": delta["tup_inserted"] + delta["tup_updated"] + delta["tup_deleted"],
           "db_server_cpu_s": round(sum(backend_cpu.values()), 2)}
    if polls:
        out["db_round_trips_per_poll"] = round(delta["round_trips"] / polls, 2)
        out["db_transactions_per_poll"] = round(out["db_transactions"] / polls, 2)
        out["db_server_cpu_s_per_1000_polls"] = round(1000 * out["db_server_cpu_s"] / polls, 3)
    return out
