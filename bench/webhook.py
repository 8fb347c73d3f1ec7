"""Benchmark of the Telegram path: webhook POST → inbox → handler → core → sendMessage at a fake Bot API.

In one run on one machine:
- start-up time of `python -m bot serve` (process start until /healthz says ok);
- throughput (updates/s) with the rate limiter's overall limit lifted, for Förderbot and for a
  minimal python-telegram-bot echo bot behind the same kind of webhook (the framework's ceiling);
- latency p50/p99 from webhook POST to the sendMessage arriving, and of the webhook's own 200,
  at a fixed 100 updates/s;
- the same fixed-rate run with the default rate limiter (Telegram's 30 messages/s);
- resident memory after warm-up and after 10,000 updates.

The bot runs as its own process (as in production); the load generator and the fake Bot API share
this process and its clock, so latencies are measured end to end.

Run:  python bench/webhook.py           (about two minutes)
      python bench/webhook.py --quick
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from fake_telegram import FakeBotApi, message_update  # noqa: E402

from bot.evaluation import load_cases  # noqa: E402

SECRET = "bench-secret"
CHATS = itertools.count(10_000_000)  # every update of the whole run in its own chat: latencies stay unambiguous


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far: unlike a rate, hardly moved by other load on the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Target:
    """A bot process under test."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int):
        self.name, self.argv, self.env, self.port = name, argv, env, port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    async def start(self, session: aiohttp.ClientSession) -> float:
        started = time.perf_counter()
        self.process = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        while True:
            try:
                async with session.get(f"{self.url}/healthz") as r:
                    if r.status == 200:
                        return time.perf_counter() - started
            except aiohttp.ClientError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            await asyncio.sleep(0.02)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class Load:
    def __init__(self, api: FakeBotApi, target: Target, session: aiohttp.ClientSession, questions: list[str]):
        self.api, self.target, self.session = api, target, session
        self.questions = itertools.cycle(questions)
        self.chats = CHATS
        self.sent: dict[int, float] = {}
        self.acks: list[float] = []

    async def post(self) -> None:
        chat = next(self.chats)
        update = message_update(next(self.questions), chat_id=chat)
        start = time.perf_counter()
        self.sent[chat] = start
        async with self.session.post(f"{self.target.url}/telegram", json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
            await r.read()
            if r.status != 200:
                raise RuntimeError(f"webhook answered {r.status}")
        self.acks.append(time.perf_counter() - start)

    def latencies(self) -> list[float]:
        arrived = {}
        for call in self.api.of("sendMessage"):
            chat = int(call.params["chat_id"])
            if chat in self.sent and chat not in arrived:
                arrived[chat] = call.at - self.sent[chat]
        return list(arrived.values())

    async def wait_delivered(self, total: int, timeout: float = 120) -> float:
        await self.api.wait_for("sendMessage", total, timeout=timeout)
        return time.perf_counter()

    async def burst(self, n: int, concurrency: int = 64) -> float:
        """n updates as fast as possible; returns updates/s until the last reply arrived."""
        before = len(self.api.of("sendMessage"))
        start = time.perf_counter()
        queue = asyncio.Queue()
        for _ in range(n):
            queue.put_nowait(None)

        async def worker():
            while not queue.empty():
                queue.get_nowait()
                await self.post()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        end = await self.wait_delivered(before + n)
        return n / (end - start)

    async def steady(self, rate: float, seconds: float) -> tuple[list[float], list[float]]:
        self.sent.clear()
        self.acks.clear()
        before = len(self.api.of("sendMessage"))
        interval = 1 / rate
        start = time.perf_counter()
        tasks = []
        for i in range(int(rate * seconds)):
            delay = start + i * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.post()))
        await asyncio.gather(*tasks)
        await self.wait_delivered(before + len(tasks))
        return self.latencies(), list(self.acks)


async def run(quick: bool) -> None:
    questions = [c.question for c in load_cases(ROOT / "tests" / "data" / "eval.yaml") if c.question.strip()]
    api = await FakeBotApi().start()
    results = {}
    burst_n, steady_s, soak_n = (500, 3, 2000) if quick else (3000, 10, 10_000)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=128)) as session:
        for label, rate_limit in (("Förderbot (rate limiter lifted)", "100000"), ("Förderbot (default 30/s)", None)):
            with tempfile.TemporaryDirectory() as data:
                port = free_port()
                env = {**os.environ, "BOT_TOKEN": "1:BENCH", "WEBHOOK_SECRET": SECRET, "PSEUDONYM_KEY": "bench",
                       "BOT_API_BASE_URL": api.base_url, "PORT": str(port), "DATA_DIR": data, "HOST": "127.0.0.1"}
                env.pop("WEBHOOK_URL", None)
                argv = [sys.executable, "-m", "bot", "serve"] + (["--rate-limit", rate_limit] if rate_limit else [])
                target = Target(label, argv, env, port)
                startup = await target.start(session)
                load = Load(api, target, session, questions)
                try:
                    if rate_limit is None:
                        latencies, acks = await load.steady(25, steady_s)
                        results[label] = {"startup": startup, "steady_rate": 25, "lat": latencies, "acks": acks}
                        continue
                    await load.burst(200)  # warm-up
                    rss_warm = rss_mib(target.process.pid)
                    cpu_before = cpu_seconds(target.process.pid)
                    throughput = await load.burst(burst_n)
                    cpu = (cpu_seconds(target.process.pid) - cpu_before) / burst_n
                    latencies, acks = await load.steady(100, steady_s)
                    half_lat, half_acks = await load.steady(50, steady_s)
                    soak_start = time.perf_counter()
                    done = 0
                    while done < soak_n:
                        await load.burst(1000)
                        done += 1000
                    soak = time.perf_counter() - soak_start
                    rss_after = rss_mib(target.process.pid)
                    results[label] = {"startup": startup, "throughput": throughput, "lat": latencies, "acks": acks,
                                      "steady_rate": 100, "cpu": cpu, "rss_warm": rss_warm, "rss_after": rss_after,
                                      "half": (half_lat, half_acks),
                                      "soak_n": soak_n + burst_n + 200 + 150 * steady_s, "soak_s": soak}
                finally:
                    target.stop()
        port = free_port()
        env = {**os.environ, "BOT_API_BASE_URL": api.base_url, "PORT": str(port), "WEBHOOK_SECRET": SECRET}
        echo = Target("echo", [sys.executable, str(ROOT / "bench" / "echo_bot.py")], env, port)
        startup = await echo.start(session)
        load = Load(api, echo, session, questions)
        try:
            await load.burst(200)
            cpu_before = cpu_seconds(echo.process.pid)
            throughput = await load.burst(burst_n)
            cpu = (cpu_seconds(echo.process.pid) - cpu_before) / burst_n
            latencies, acks = await load.steady(100, steady_s)
            results["PTB echo bot (ceiling)"] = {"startup": startup, "throughput": throughput, "lat": latencies,
                                                 "acks": acks, "steady_rate": 100, "cpu": cpu}
        finally:
            echo.stop()
    await api.stop()

    print(f"Machine: {os.cpu_count()} cores; bot and echo bot run as separate processes.")
    for label, r in results.items():
        print(f"\n{label}")
        print(f"  start-up until /healthz ok: {r['startup'] * 1000:.0f} ms")
        if "throughput" in r:
            print(f"  throughput (burst, 64 concurrent POSTs): {r['throughput']:.0f} updates/s, "
                  f"CPU {r['cpu'] * 1000:.2f} ms per update in the bot's process")
        print(f"  at {r['steady_rate']} updates/s: POST→sendMessage p50 {pct(r['lat'], .5):.1f} ms, "
              f"p99 {pct(r['lat'], .99):.1f} ms; webhook 200 p50 {pct(r['acks'], .5):.2f} ms, "
              f"p99 {pct(r['acks'], .99):.2f} ms")
        if "half" in r:
            lat, acks = r["half"]
            print(f"  at 50 updates/s: POST→sendMessage p50 {pct(lat, .5):.1f} ms, p99 {pct(lat, .99):.1f} ms; "
                  f"webhook 200 p50 {pct(acks, .5):.2f} ms, p99 {pct(acks, .99):.2f} ms")
        if "rss_warm" in r:
            print(f"  memory: {r['rss_warm']:.1f} MiB after warm-up, {r['rss_after']:.1f} MiB after "
                  f"{r['soak_n']} updates")
    ours = results["Förderbot (rate limiter lifted)"]["throughput"]
    ceiling = results["PTB echo bot (ceiling)"]["throughput"]
    print(f"\nFörderbot reaches {ours / ceiling:.0%} of the echo bot's rate (aim >= 40 %; Telegram itself caps sends at about 30 messages/s).")
    cpu_ours, cpu_echo = results["Förderbot (rate limiter lifted)"]["cpu"], results["PTB echo bot (ceiling)"]["cpu"]
    print(f"By CPU per update (less moved by other load): {cpu_echo / cpu_ours:.0%} of the echo bot.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    asyncio.run(run(parser.parse_args().quick))


if __name__ == "__main__":
    main()
