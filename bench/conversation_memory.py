"""Memory the Telegram conversations take: each after a verdict and a follow-up, with both answers
remembered for replies. Prints MiB, bytes per conversation and the projection to the bound
(tracemalloc makes it slow: 1000 conversations take about 45 s; 10 000 measured 20.9 MiB).

    python bench/conversation_memory.py [CONVERSATIONS]
"""

from __future__ import annotations

import sys
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.chat_memory import MAX_ANSWERS, MAX_CONVERSATIONS, ChatMemory
from bot.knowledge.assistant import Assistant
from bot.knowledge.load import load_knowledge

QUESTIONS = ("Ist der Hundesteuer-Assistent förderfähig?", "Ist der Wohngeld-Assistent förderfähig?",
             "Fischereischein förderfähig?", "Werden EfA-Dienste gefördert?")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    assistant = Assistant(load_knowledge(Path(__file__).resolve().parents[1]))
    memory = ChatMemory()
    day, at = date(2023, 5, 10), datetime(2023, 5, 10, 9, 0)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(count):
        conversation = memory.conversation((n,), assistant)
        conversation.ask(QUESTIONS[n % len(QUESTIONS)], day, at)
        memory.note_answer(2 * n, (n,), conversation)
        conversation.ask("Und bis wann?", day, at + timedelta(minutes=1))
        memory.note_answer(2 * n + 1, (n,), conversation)
    used = tracemalloc.get_traced_memory()[0] - before
    print(f"{len(memory)} conversations, {min(2 * count, MAX_ANSWERS)} remembered answers: "
          f"{used / 2**20:.1f} MiB ({used / max(len(memory), 1):.0f} bytes per conversation; at the bound of "
          f"{MAX_CONVERSATIONS} about {used / max(len(memory), 1) * MAX_CONVERSATIONS / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
