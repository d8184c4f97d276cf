"""What a rule finds: its severity and the finding itself. Light on purpose: the index and the warm path use them."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

#: the rule that finds an undecided merge conflict in a record (rules.py defines it; the dashboard marks such tanks)
CONFLICT_RULE = "DT060"
#: the rule that finds an active tank past its richtlijn (the board marks such tanks, unless it is waived)
LATE_RULE = "DT031"


class Ernst(StrEnum):
    fout = "fout"  # blocks advancing, fails check
    waarschuwing = "waarschuwing"  # informs


class Finding(NamedTuple):  # a NamedTuple: a dataclass would cost the warm path milliseconds to define
    regel: str
    naam: str
    ernst: Ernst
    bericht: str
    oplossing: str
    uitzondering: str | None = None  # the reason, when the tank waives this rule

    @property
    def counts(self) -> bool:
        return self.uitzondering is None

    @property
    def blocks(self) -> bool:
        return self.counts and self.ernst == Ernst.fout
