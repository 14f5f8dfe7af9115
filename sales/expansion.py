"""Outcome -> requirements: the interface the order services use (implemented in this module)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Timeline:
    """The order's four moments; rule windows are relative to them."""

    load_in: datetime
    show_start: datetime
    show_end: datetime
    load_out: datetime


@dataclass(frozen=True)
class GearNeed:
    """A capability quantity over a window, to be stored as a jobs.GearRequirement."""

    key: str
    capability_id: int
    quantity: int
    start: datetime
    end: datetime
    label: str


@dataclass(frozen=True)
class CrewNeed:
    """A crew shift, to be stored as a labor.Shift."""

    key: str
    skill_id: int
    min_level: int
    count: int
    start: datetime
    end: datetime
    label: str


class ParameterError(ValueError):
    """Parameters that do not fit a template; ``errors`` maps each bad parameter name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
