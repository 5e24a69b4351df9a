"""Several `feedhook run` processes on one PostgreSQL state (`load --instances N`), and how evenly
they split the work.

Each instance gets its own working directory and a copy of the run's config with its own
`[http] listen` port (the config digest the instances compare covers feeds and channels only), so
that its /metrics can be read at the end: polls per instance are the sum of its
`feedhook_feed_polls_total`, which keeps a feed's count after the feed moved to another instance.
Who holds what is read from the database itself (`leases`, `instances`), bypassing the counting
proxy, every few seconds while the run lasts and once more just before the instances are stopped.
"""

import asyncio
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field

from . import pgstore, programs

HELD_SQL = ("SELECT l.kind, i.pid, count(*) FROM leases l JOIN instances i ON i.id = l.owner "
            "WHERE l.expires_at > now() GROUP BY l.kind, i.pid")
POLLS_LINE = re.compile(r'^feedhook_feed_polls_total\{[^}]*\} (\d+(?:\.\d+)?)$', re.M)


@dataclass
class Fleet:
    """The instances of one run, in the order they were started."""
    members: list
    ports: list
    started: float
    held_samples: list = field(default_factory=list)   # (t, {pid: (feeds, channels)})
    task: asyncio.Task | None = None

    @property
    def program(self):
        return self.members[0].program

    @property
    def pids(self):
        return [m.process.pid for m in self.members]

    def alive(self):
        return all(m.process.poll() is None for m in self.members)

    def died(self):
        codes = [m.process.poll() for m in self.members]
        return None if all(c is None for c in codes) else codes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(program, config, workdir, count, extra_args=()):
    """Starts `count` instances of `program`, each in workdir/iK with config + its own listen."""
    members, ports = [], []
    for k in range(1, count + 1):
        home = workdir / f"i{k}"
        home.mkdir()
        port = free_port()
        own = home / config.name
        shutil.copyfile(config, own)
        with open(own, "a") as f:
            f.write(f'\n\n[http]\nlisten = "127.0.0.1:{port}"\n')
        members.append(programs.start(program, own, home, extra_args))
        ports.append(port)
    return Fleet(members, ports, members[0].started)


async def watch_leases(fleet, server, database, every=5.0):
    """Samples who holds how many feeds and channels until cancelled."""
    while True:
        fleet.held_samples.append((time.time(), await held(server, database)))
        await asyncio.sleep(every)


async def held(server, database):
    """{pid: (feeds held, channels held)} of the live leases now; {} before the instances have
    created the tables."""
    try:
        rows = await asyncio.to_thread(pgstore.psql, server, HELD_SQL, database)
    except subprocess.CalledProcessError as error:
        if "does not exist" in error.stderr:
            return {}
        raise SystemExit(f"reading the leases failed: {error.stderr.strip()}") from error
    out = {}
    for kind, pid, count in rows:
        feeds, channels = out.get(int(pid), (0, 0))
        out[int(pid)] = (feeds + int(count), channels) if kind == "feed" else \
            (feeds, channels + int(count))
    return out


async def lease_claims(server, database):
    """How many times a lease was claimed in the run (each claim takes an epoch): the number of
    feeds and channels at least, more for every move between instances; None from a binary
    that does not share work (no such sequence)."""
    sql = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM lease_epochs"
    try:
        rows = await asyncio.to_thread(pgstore.psql, server, sql, database)
    except subprocess.CalledProcessError as error:
        if "does not exist" in error.stderr:
            return None
        raise
    return int(rows[0][0])


async def polls_counted(port):
    """The sum of feedhook_feed_polls_total an instance reports, or None if it cannot be read."""
    def scrape():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=60) as r:
            return r.read().decode()
    try:
        text = await asyncio.to_thread(scrape)
    except OSError:
        return None
    return int(sum(float(v) for v in POLLS_LINE.findall(text)))


class Combined:
    """The instances' samples summed (CPU, memory, switches), read like one `programs.Running`,
    so that the single-instance figures (CPU per 1,000 polls, ...) come out as totals."""

    def __init__(self, fleet):
        self.program = fleet.program
        self.started = fleet.started
        zero = programs.Sample(0, 0.0, 0, 0, 0, 0, 0.0)
        self.samples = []
        for first in fleet.members[0].samples:
            parts = [m.at(first.t) or zero for m in fleet.members]
            self.samples.append(programs.Sample(
                first.t, sum(p.cpu for p in parts), sum(p.rss_kb for p in parts),
                sum(p.hwm_kb for p in parts), sum(p.switches for p in parts),
                sum(p.threads for p in parts), sum(p.sys for p in parts)))

    def at(self, t):
        return programs.Running.at(self, t)


async def stop(fleet):
    return await asyncio.gather(*(programs.stop(m) for m in fleet.members))


def figures(fleet, final_held, polls_by_port, t_end, feeds, channels):
    """Per-instance figures (lists in start order) and the split across instances."""
    pids = fleet.pids
    ends = [m.at(t_end) or m.latest() for m in fleet.members]
    held_feeds = [final_held.get(pid, (0, 0))[0] for pid in pids]
    held_channels = [final_held.get(pid, (0, 0))[1] for pid in pids]
    polls = [polls_by_port.get(port) for port in fleet.ports]
    out = {
        "instances": len(pids),
        "instance_pids": pids,
        "instance_feeds_held": held_feeds,
        "instance_channels_held": held_channels,
        "instance_polls": polls,
        "instance_cpu_s": [round(e.cpu, 2) if e else None for e in ends],
        "instance_peak_rss_mb": [round(max((s.hwm_kb for s in m.samples), default=0) / 1024, 1)
                                 for m in fleet.members],
        "feeds_held_min_max": f"{min(held_feeds)}/{max(held_feeds)} of {feeds}",
        "channels_held_min_max": f"{min(held_channels)}/{max(held_channels)} of {channels}",
        "split_even_after_s": even_after(fleet, pids, feeds),
    }
    if all(p is not None for p in polls):
        out["instance_polls_sum"] = sum(polls)
        out["instance_polls_spread"] = round(max(polls) / min(polls), 3) if min(polls) else None
        out["instance_cpu_s_per_1000_polls"] = [
            round(1000 * e.cpu / p, 4) if e and p else None for e, p in zip(ends, polls)]
    return out


def even_after(fleet, pids, feeds):
    """Seconds from the first start to the first sample in which every feed was held and no
    instance held more than its fair share, ceil(feeds / instances); None if never."""
    share = -(-feeds // len(pids))
    for t, sample in fleet.held_samples:
        counts = [sample.get(pid, (0, 0))[0] for pid in pids]
        if sum(counts) == feeds and max(counts) <= share:
            return round(t - fleet.started, 1)
    return None
