"""Problems found in knowledge files: German messages with file:line:column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based
    message: str
    severity: str = "error"  # "error" | "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        label = "Fehler" if self.is_error else "Warnung"
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {label}: {self.message}"


class KnowledgeError(Exception):
    """Raised when knowledge files cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.is_error]
        super().__init__("\n".join(str(p) for p in self.problems))


def summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{errors} Fehler, {warnings} {'Warnung' if warnings == 1 else 'Warnungen'}"
