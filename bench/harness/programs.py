"""The programs under load: their config files, starting and stopping them, and sampling their CPU
time and memory from /proc while they run.

Two config formats are written: feedhook's (generic channels pointing at the sink) and
rss-forwarder 0.7's (`[feeds.NAME]` with a Slack sink pointing at the sink). A program is given as
a command template in which `{config}` is replaced by the path of the file written for it.
"""

import asyncio
import os
import shlex
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Program:
    label: str
    fmt: str            # "feedhook" or "rss-forwarder": which config file it reads
    command: str        # template with {config}
    env: dict = field(default_factory=dict)  # added to the harness's own environment
    wrap: str = ""      # a command put before it, e.g. "valgrind --tool=callgrind"

    def argv(self, config):
        return [part.replace("{config}", str(config))
                for part in shlex.split(self.wrap) + shlex.split(self.command)]

    def missing(self):
        """The program's executable when it cannot be found, else None."""
        executable = shlex.split(self.command)[0]
        return None if shutil.which(executable) else executable


def feed_name(index):
    return f"f{index:05d}"


def write_config(program, path, urls, opts, sink_base, interval, store_path, fetch_defaults=False):
    """Writes `program`'s config for feeds `urls` (index -> URL) to `path`."""
    lines = []
    if program.fmt == "feedhook":
        lines += ["[store]", f'path = "{store_path}"', ""]
        if not fetch_defaults:
            lines += ["[fetch]", f"concurrency = {opts.concurrency}",
                      f"per_host = {opts.per_host}", ""]
        lines += ["[defaults]", f'interval = "{interval}"', "backlog = 0",
                  f'timeout = "{opts.timeout}s"', ""]
        for c in range(opts.channels):
            lines += [f"[channels.c{c:02d}]", 'kind = "generic"',
                      f'url = "{sink_base}/hook/{program.label}/c{c:02d}"', ""]
        for index, url in urls.items():
            lines += ["[[feeds]]", f'name = "{feed_name(index)}"', f'url = "{url}"',
                      f'channels = ["c{index % opts.channels:02d}"]', ""]
    elif program.fmt == "rss-forwarder":
        for index, url in urls.items():
            lines += [f"[feeds.{feed_name(index)}]", f'url = "{url}"', f'interval = "{interval}"',
                      'sink.type = "slack"', f'sink.url = "{sink_base}/hook/{program.label}"', ""]
    else:
        raise SystemExit(f"unknown config format {program.fmt!r}")
    path.write_text("\n".join(lines))


@dataclass
class Sample:
    t: float            # time.time()
    cpu: float          # utime + stime, seconds
    rss_kb: int
    hwm_kb: int
    switches: int       # voluntary + involuntary context switches, all threads
    threads: int
    sys: float = 0.0    # stime alone, seconds (kernel work: syscalls, scheduling, page faults)


def read_sample(pid, threads_seen=None):
    """CPU, memory and thread figures of `pid` now, or None once it is gone.

    Context switches are counted per thread; `threads_seen` (tid -> last count) keeps the counts of
    threads that have since exited (tokio's blocking pool retires idle threads), so the total only
    grows.
    """
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        status = _status(pid)
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    seen = {} if threads_seen is None else threads_seen
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                task_status = _status(f"{pid}/task/{task}")
            except (FileNotFoundError, ProcessLookupError):
                continue
            seen[task] = (task_status.get("voluntary_ctxt_switches", 0)
                          + task_status.get("nonvoluntary_ctxt_switches", 0))
    except FileNotFoundError:
        pass
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    return Sample(time.time(), cpu, status.get("VmRSS", 0), status.get("VmHWM", 0),
                  sum(seen.values()), status.get("Threads", 0), int(fields[12]) / TICK)


def _status(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            parts = value.split()
            if parts and parts[0].isdigit():
                values[name] = int(parts[0])
    return values


@dataclass
class Running:
    program: Program
    process: subprocess.Popen
    started: float
    samples: list = field(default_factory=list)
    task: asyncio.Task | None = None
    threads_seen: dict = field(default_factory=dict)

    def sample(self):
        return read_sample(self.process.pid, self.threads_seen)

    def latest(self):
        return self.samples[-1] if self.samples else None

    def at(self, t):
        """The last sample taken at or before `t`."""
        chosen = None
        for sample in self.samples:
            if sample.t > t:
                break
            chosen = sample
        return chosen


def start(program, config, workdir, extra_args=()):
    out = open(workdir / f"{program.label}.stdout.log", "ab")
    err = open(workdir / f"{program.label}.stderr.log", "ab")
    started = time.time()
    process = subprocess.Popen(program.argv(config) + list(extra_args), stdout=out, stderr=err,
                               stdin=subprocess.DEVNULL, cwd=workdir,
                               env={**os.environ, **program.env})
    running = Running(program, process, started)
    running.task = asyncio.get_running_loop().create_task(_sample_forever(running))
    return running


async def _sample_forever(running, every=0.25):
    while running.process.poll() is None:
        sample = running.sample()
        if sample:
            running.samples.append(sample)
        await asyncio.sleep(every)


async def stop(running, grace=15.0):
    """SIGTERM, then SIGKILL after `grace` seconds; returns the exit status."""
    sample = running.sample()
    if sample:
        running.samples.append(sample)
    if running.process.poll() is None:
        running.process.send_signal(signal.SIGTERM)
        deadline = time.time() + grace
        while running.process.poll() is None and time.time() < deadline:
            await asyncio.sleep(0.1)
        if running.process.poll() is None:
            running.process.kill()
    code = running.process.wait()
    if running.task:
        running.task.cancel()
    return code


async def wait_exit(running, timeout):
    """Waits for the program to end by itself; returns its exit status, or None at the timeout."""
    deadline = time.time() + timeout
    while running.process.poll() is None and time.time() < deadline:
        await asyncio.sleep(0.05)
    return running.process.poll()
