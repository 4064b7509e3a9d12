"""Problems found in input files, reported in French with file, line and column."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one place of one input file."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """Render as « fichier, ligne N, colonne X : message »."""
        where = [self.file]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}"


class DataError(Exception):
    """Input rejected: carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
