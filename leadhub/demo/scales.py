"""How big each demo is. The scales nest: tiny's organizations are the first of demo's,
and demo's the first of state's, each with the same names and identifiers."""

from __future__ import annotations

from dataclasses import dataclass

# SchoolYear rows, service areas and participations reach back this many years.
YEARS_OF_HISTORY = 3


@dataclass(frozen=True)
class Scale:
    name: str
    hub_count: int
    profile_years: int  # profiles and calendars for the current year and the ones before it
    demo_passwords: bool  # False: generated people get unusable passwords
    record_history: bool  # False: bulk inserts only, no historical rows

    @property
    def is_tiny(self) -> bool:
        return self.name == "tiny"

    @property
    def is_state(self) -> bool:
        return self.name == "state"


TINY = Scale("tiny", hub_count=2, profile_years=2, demo_passwords=True, record_history=True)
DEMO = Scale("demo", hub_count=6, profile_years=4, demo_passwords=True, record_history=True)
STATE = Scale("state", hub_count=35, profile_years=4, demo_passwords=False, record_history=False)

SCALES: dict[str, Scale] = {scale.name: scale for scale in (TINY, DEMO, STATE)}
