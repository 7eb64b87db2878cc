"""A plan's process in time, as pure functions of the build's "today".

Which step is done, current or still to come, and what a deadline says on a given day
("23 dager igjen", "Fristen er i dag", "Fristen gikk ut …"). site.js mirrors :func:`deadline`
so that a page read days after its build says the same as a fresh build would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hub.content.model import PlanStep

State = Literal["done", "current", "coming"]


@dataclass(frozen=True)
class StepState:
    step: PlanStep
    state: State


def progress(steps: Sequence[PlanStep], today: dt.date) -> list[StepState]:
    """Each step's state: the last step that has started is current, those before it done, the
    rest (a later date, or none yet) coming. Before the first step starts, none is current."""
    started = [i for i, s in enumerate(steps) if s.start is not None and s.start <= today]
    current = started[-1] if started else -1
    return [StepState(s, "done" if i < current else "current" if i == current else "coming")
            for i, s in enumerate(steps)]


def current_step(steps: Sequence[PlanStep], today: dt.date) -> PlanStep | None:
    return next((x.step for x in progress(steps, today) if x.state == "current"), None)


@dataclass(frozen=True)
class Deadline:
    """A deadline seen on ``today``: ``days`` left (0 on the day itself, negative after)."""

    day: dt.date
    days: int

    @property
    def state(self) -> Literal["open", "today", "passed"]:
        return "open" if self.days > 0 else "today" if self.days == 0 else "passed"

    @property
    def passed(self) -> bool:
        return self.days < 0


def deadline(day: dt.date, today: dt.date) -> Deadline:
    """The deadline day counts in full: input sent on it is in time."""
    return Deadline(day, (day - today).days)


def open_for_input(steps: Sequence[PlanStep], today: dt.date) -> PlanStep | None:
    """The current step when it takes input and its deadline has not passed (a plan "on hearing")."""
    step = current_step(steps, today)
    if step is None or not step.invites_input or step.due is None or step.due < today:
        return None
    return step


def entered(steps: Sequence[PlanStep], today: dt.date) -> list[tuple[int, PlanStep]]:
    """The steps that have started by ``today`` (for the feed: a new entry as a plan enters a step)."""
    return [(i, s) for i, s in enumerate(steps) if s.start is not None and s.start <= today]
