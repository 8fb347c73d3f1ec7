"""Example questions shown to users (/start, /hilfe, the fallback): one owner, each tested to get a
real answer from the core (tests/test_examples.py)."""

# Buttons under /start: each answers at once when pressed.
START_EXAMPLES = (
    "Ist der Hundesteuer-Assistent förderfähig, und bis wann?",
    "Sind Zweckverbände antragsberechtigt?",
    "Werden EfA-Dienste gefördert?",
)

# /hilfe: (what kind of question, examples). Only questions that work on their own; follow-ups are
# shown as pairs below.
HELP_EXAMPLES = (
    ("Nach einem Assistenten", ("Ist der Wohngeld-Assistent förderfähig?",)),
    ("Zu einem Datum", ("War der Wohngeld-Assistent 2023 förderfähig?", "Fischereischein am 30.06.2022?")),
    ("Nach Antragstellern oder Kosten", ("Sind Landkreise antragsberechtigt?", "Werden Personalkosten übernommen?")),
    ("Nach dem Programm", ("Bis wann läuft die Förderung?", "Ist das Geld für 2024 sicher?")),
    ("Im Katalog", ("Welche Assistenten gibt es für Familien?", "Was ist in Planung?")),
    ("Nach Fakten", ("Wer koordiniert die Umsetzung?", "Was ist ausgeschlossen?")),
)

# /hilfe: follow-ups, each shown after the question it follows (resolved in context by the chat).
FOLLOW_UP_EXAMPLES = (
    ("Ist der Wohngeld-Assistent förderfähig?", "Und 2023?"),
    ("Ist der Hundesteuer-Assistent förderfähig?", "Und bis wann?"),
    ("Ist der Fischereischein-Assistent förderfähig?", "Und am 30.06.2022?"),
)
