"""Errors that point at the exact place in a source file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class SourceError(Exception):
    """A problem in a source file; `line` and `column` are 1-based, `column` may be a name."""

    path: Path | str
    message: str
    line: int | None = None
    column: int | str | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        if self.column is not None:
            where += f", column {self.column}" if isinstance(self.column, str) else f":{self.column}"
        return f"{where}: {self.message}"
