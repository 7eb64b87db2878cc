"""Content errors as data: every problem is collected, then reported together.

Coordinators fix a whole batch in one go, so nothing here raises on the first
problem; loaders append to an :class:`ErrorLog` and the command decides.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github(self, level: str = "error") -> str:
        """GitHub Actions workflow command, so errors (and warnings) land on the PR's changed line."""
        msg = (f"{self.field}: {self.message}" if self.field else self.message)
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={self.path},line={max(self.line, 1)}::{msg}"


@dataclass
class ErrorLog:
    """Collects errors with paths shown relative to the content root's parent."""

    root: Path
    errors: list[ContentError] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        # absolute(), not resolve(): a symlink is reported where it stands, not where it points.
        try:
            return path.absolute().relative_to(self.root.absolute().parent).as_posix()
        except ValueError:
            return path.as_posix()

    def add(self, path: Path, line: int, field_: str, message: str) -> None:
        """One error, on one line (a message quoting the input may hold line breaks of its own)."""
        self.errors.append(ContentError(self.rel(path), line, " ".join(field_.split()), " ".join(message.split())))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def sorted(self) -> list[ContentError]:
        return sorted(set(self.errors))


class ContentErrors(Exception):
    """Raised once, at the end of loading, carrying every error found."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} innholdsfeil")
        self.errors = errors

    def __reduce__(self) -> tuple[type[ContentErrors], tuple[list[ContentError]]]:
        return ContentErrors, (self.errors,)  # whole from a forked build process, not as its message

    def render(self, fmt: str = "text", warnings: list[ContentError] | None = None, outcome: str = "") -> str:
        """Every error (and warning) for a person (``text``) or a tool (``github``, ``gitlab``, ``json``);
        ``outcome`` tells the person what the command did not do because of them (``check`` writes nothing)."""
        found = [(e, "error") for e in self.errors] + [(w, "warning") for w in warnings or []]
        if fmt == "github":
            return "\n".join(e.github(level) for e, level in found)
        if fmt == "gitlab":  # GitLab Code Quality report: shown on the merge request's changed lines
            return json.dumps([{
                "description": f"{e.field}: {e.message}" if e.field else e.message, "check_name": "knutepunkt",
                "severity": "major" if level == "error" else "minor",
                "location": {"path": e.path, "lines": {"begin": max(e.line, 1)}},
                "fingerprint": hashlib.sha256(str(e).encode()).hexdigest()} for e, level in found],
                ensure_ascii=False, indent=2)
        if fmt == "json":
            return json.dumps([{**asdict(e), "level": level} for e, level in found], ensure_ascii=False, indent=2)
        lines = [str(e) for e, _ in found]
        if self.errors:
            lines.append(f"{len(self.errors)} feil i innholdet." + (f" {outcome}" if outcome else ""))
        return "\n".join(lines)


def unknown_district(name: str, known: list[str]) -> str:
    """Why ``name`` names no district, with the folder meant (a typo, capitals) or the folders there are."""
    import difflib

    near = difflib.get_close_matches(name.lower(), known, 3)
    hint = f"mente du {' eller '.join(near)}?" if near else f"mappene i districts/: {', '.join(known[:12])}" + (
        " …" if len(known) > 12 else "")
    return f"ukjent kommunedel {name!r} ({hint})"
