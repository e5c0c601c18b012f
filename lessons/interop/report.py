"""What an import or an export could not carry, or changed, question by question."""

from __future__ import annotations

from dataclasses import dataclass, field


class FormatError(ValueError):
    """A file that cannot be read at all (not the format, too large, an XML bomb): nothing is imported."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Entry:
    question: str  # the question's name or number in the file, or "" for the file as a whole
    message: str
    skipped: bool = False  # the question was left out (else it was carried, changed as the message says)

    def line(self) -> str:
        state = "skipped" if self.skipped else "changed"
        where = f"{self.question}: " if self.question else ""
        return f"{state}: {where}{self.message}"


@dataclass
class Report:
    entries: list[Entry] = field(default_factory=list)
    carried: int = 0  # questions imported or exported

    def skip(self, question: str, message: str) -> None:
        self.entries.append(Entry(question, message, skipped=True))

    def change(self, question: str, message: str) -> None:
        self.entries.append(Entry(question, message))

    @property
    def skipped(self) -> int:
        return sum(1 for entry in self.entries if entry.skipped)

    def lines(self) -> list[str]:
        return [entry.line() for entry in self.entries]
