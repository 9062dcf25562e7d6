"""The output contract (`timetable.json`): where and when each session runs, who interprets it, what it cost."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .types import AwareDateTime, Day, Id, LanguageCode


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class Channel(Output):
    """One interpretation channel of a session: the team that speaks `into`, listening to `from`."""

    into: LanguageCode
    from_: LanguageCode = Field(alias="from")
    via: LanguageCode | None = None
    interpreters: list[Id] = []


class Placement(Output):
    """One session placed in a room at a time, with its channels."""

    session: Id
    room: Id
    start: AwareDateTime
    end: AwareDateTime
    channels: list[Channel] = []

    @property
    def minutes(self) -> int:
        """How long the session lasts, as placed."""
        return int((self.end - self.start).total_seconds() // 60)


def _known_goal(name: str) -> str:
    from .event import Weights  # the goals are the weights' keys

    if name not in Weights.model_fields:
        raise ValueError(f"{name!r} is not a goal (one of: {', '.join(Weights.model_fields)})")
    return name


class Cost(Output):
    """One soft cost paid, with what caused it (sessions, interpreters, day, language as they apply)."""

    goal: Annotated[str, AfterValidator(_known_goal)]
    sessions: list[Id] = []
    interpreters: list[Id] = []
    day: Day | None = None
    language: LanguageCode | None = None  # the channel's: two unstaffed channels of a session differ by it
    cost: int = Field(ge=0)


class Timetable(Output):
    event: Id
    status: Literal["optimal", "feasible"]
    objective: int
    bound: int
    solve_seconds: float = Field(ge=0)
    sessions: list[Placement]
    costs: list[Cost] = []

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True, indent=2) + "\n"
