"""Soak test on loopback: a steady stream of updates while the Bot API misbehaves.

For `--seconds` (default 180) updates arrive at `--rate` per second, each in its own chat (so
answers are counted per update), posted the way Telegram posts them: again until each got its
200. Meanwhile the fake Bot API adds latency, 500s, 429s with retry_after and dropped connections
(before and after it processed the request), goes fully offline once for 30 seconds, the
knowledge file is changed every 10 seconds (the bot reloads it), and the server is killed with -9
once (after two thirds of the updates were acknowledged) and started again.

Printed: sent, acknowledged, answered, answered twice — avoidable (must be 0) and ambiguous (the
first copy's response was dropped after the fake processed it, or it was on the wire at the kill;
at most the number of such faults) — lost (must be 0), latency p50/p99 from the first POST to the
first answer, and memory growth of the server process.

Run:  python bench/soak.py                   (about 4 minutes)
      python bench/soak.py --seconds 60 --rate 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
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

SECRET = "soak-secret"
QUESTIONS = ("Ist der Hundesteuer-Assistent förderfähig?", "Werden EfA-Dienste gefördert?", "Wohngeld?",
             "Sind Zweckverbände antragsberechtigt?", "Wer koordiniert die Umsetzung?")
KILL_WINDOW = 0.5  # seconds around the kill in which an answer may have been processed unbookkept
SETTLE = 300.0  # after the last update: how long to wait for the last answers at most


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


class Server:
    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{env['PORT']}"

    async def start(self, session: aiohttp.ClientSession) -> None:
        with open(self.log, "a") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=self.env, cwd=ROOT,
                                            stdout=out, stderr=subprocess.STDOUT)
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}; see {self.log}")
            try:
                async with session.get(f"{self.url}/healthz") as r:
                    if r.status == 200 and (await r.json())["status"] == "ok":
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)

    def kill(self) -> float:
        self.process.send_signal(signal.SIGKILL)
        moment = time.perf_counter()
        self.process.wait(timeout=10)
        return moment

    async def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.to_thread(self.process.wait, 30)


async def run(seconds: float, rate: float, outage_at: float, outage: float) -> int:
    api = await FakeBotApi().start()
    # background faults on answers: latency, 500s, 429s, drops before and after processing
    api.inject("latency", methods={"sendMessage"}, seconds=1.5, chance=0.03)
    api.inject("status", methods={"sendMessage"}, status=500, description="Internal Server Error", chance=0.03)
    api.inject("status", methods={"sendMessage"}, status=429, description="Too Many Requests: retry after 1",
               parameters={"retry_after": 1}, chance=0.01)
    api.inject("drop_before", methods={"sendMessage"}, chance=0.02)
    drop_after = api.inject("drop_after", methods={"sendMessage"}, chance=0.005)
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    knowledge = work / "wissen"
    knowledge.mkdir()
    for name in ("faq.yaml", "regeln.yaml", "stichworte.yaml", "katalog.csv"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, knowledge / name)
    env = {**os.environ, "BOT_TOKEN": "1:SOAK", "WEBHOOK_SECRET": SECRET, "PSEUDONYM_KEY": "soak",
           "BOT_API_BASE_URL": api.base_url, "PORT": str(free_port()), "HOST": "127.0.0.1",
           "DATA_DIR": str(work / "daten"), "KNOWLEDGE_DIR": str(knowledge), "DELIVERY_BACKOFF_MAX": "30"}
    env.pop("WEBHOOK_URL", None)
    server = Server(env, work / "serve.log")
    total = int(seconds * rate)
    sent: dict[int, float] = {}
    acked: set[int] = set()
    kills: list[float] = []
    memory: list[tuple[float, float]] = []  # (warm, end) per server process

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:
        await server.start(session)
        warm, warm_at = None, time.perf_counter() + 10  # memory after 10 s of traffic (knowledge warmed up)

        async def post(chat: int, update: dict) -> None:
            while True:
                try:
                    async with session.post(f"{server.url}/telegram", json=update,
                                            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
                        if r.status == 200:
                            acked.add(chat)
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)

        async def reload_every(period: float) -> None:
            faq = knowledge / "faq.yaml"
            original = faq.read_text(encoding="utf-8")
            n = 0
            while True:
                await asyncio.sleep(period)
                n += 1
                faq.write_text(original + f"\n# soak {n}\n", encoding="utf-8")

        async def outage_once() -> None:
            await asyncio.sleep(outage_at)
            await api.go_offline()
            await asyncio.sleep(outage)
            await api.go_online()

        reloader = asyncio.create_task(reload_every(10.0))
        outages = asyncio.create_task(outage_once())
        posts = []
        start = time.perf_counter()
        killed = False
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            chat = 70_000_000 + i
            sent[chat] = time.perf_counter()
            posts.append(asyncio.create_task(post(chat, message_update(QUESTIONS[i % len(QUESTIONS)], chat_id=chat))))
            if warm is None and time.perf_counter() >= warm_at:
                warm = rss_mib(server.process.pid)
            if not killed and len(acked) >= total * 2 // 3:
                killed = True
                memory.append((warm or float("nan"), rss_mib(server.process.pid)))
                kills.append(server.kill())
                await server.start(session)
                warm, warm_at = None, time.perf_counter() + 10
        await asyncio.gather(*posts)
        await outages
        reloader.cancel()
        deadline = time.perf_counter() + SETTLE
        while time.perf_counter() < deadline:
            if len({int(c.params["chat_id"]) for c in api.of("sendMessage")} & set(sent)) == len(sent):
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # late duplicates, if any, arrive too
        memory.append((warm or float("nan"), rss_mib(server.process.pid)))
        code = await server.terminate()
    await api.stop()

    first: dict[int, float] = {}
    copies: dict[int, list] = {}
    for call in api.of("sendMessage"):
        chat = int(call.params["chat_id"])
        if chat in sent:
            copies.setdefault(chat, []).append(call)
            first.setdefault(chat, call.at - sent[chat])
    twice = {chat: calls for chat, calls in copies.items() if len(calls) > 1}
    ambiguous = {chat for chat, calls in twice.items()
                 if calls[0].response_lost or any(abs(k - calls[0].at) <= KILL_WINDOW for k in kills)}
    in_flight_at_kill = sum(1 for c in api.attempts if c.method == "sendMessage"
                            and any(abs(k - c.at) <= KILL_WINDOW for k in kills))
    lost = [chat for chat in sent if chat not in copies]
    print(f"Soak: {seconds:.0f} s at {rate:g} updates/s, one {outage:.0f} s outage, knowledge changed every 10 s, "
          f"kill -9 once (serve exit code at the end: {code})")
    print(f"  sent {len(sent)}, acknowledged {len(acked)}, answered {len(copies)}, lost {len(lost)}")
    print(f"  answered twice {len(twice)}: avoidable {len(twice) - len(ambiguous)}, ambiguous {len(ambiguous)} "
          f"(faults that allow it: {drop_after.hits} responses dropped after processing, "
          f"{in_flight_at_kill} requests on the wire at the kill)")
    print(f"  latency POST → answer: p50 {pct(list(first.values()), .5):.0f} ms, "
          f"p99 {pct(list(first.values()), .99):.0f} ms (outage and retries included)")
    for n, (warm_mib, end_mib) in enumerate(memory, 1):
        print(f"  memory, server process {n}: {warm_mib:.1f} MiB after 10 s of traffic, {end_mib:.1f} MiB at its end")
    print(f"  log: {server.log}")
    ok = not lost and len(twice) == len(ambiguous) and len(ambiguous) <= drop_after.hits + in_flight_at_kill
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=180.0, help="how long updates arrive (default 180)")
    parser.add_argument("--rate", type=float, default=10.0, help="updates per second (default 10)")
    parser.add_argument("--outage-at", type=float, default=None, help="second of the 30 s outage (default: a third in)")
    parser.add_argument("--outage", type=float, default=30.0, help="length of the full outage in seconds")
    args = parser.parse_args()
    outage_at = args.outage_at if args.outage_at is not None else args.seconds / 3
    sys.exit(asyncio.run(run(args.seconds, args.rate, outage_at, args.outage)))


if __name__ == "__main__":
    main()
