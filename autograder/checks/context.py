"""What a check judges: everything the pipeline has learnt about one submission so far.

Every check is a function `judge(ctx: Context) -> Check` (registry.py names it). The steps of
grade.py fill the context in order — the workspace, the notebook as read, the locked cells,
the probe run, the notebook run, the Part B report — so a check reads what it needs and
nothing has to be wired by hand.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import registry
from ..part_b.graded_run import PartBRun
from ..results import Check
from .locate import Locator, Place, from_error, from_harness, locator_for

if TYPE_CHECKING:
    from ..intake import Workspace
    from ..probes.collect import ProbeRun
    from ..settings import Profile, Settings

__all__ = ['Context']


@dataclass
class Context:
    settings: Settings
    profile: Profile
    mode: str = 'grade'
    workspace: Workspace | None = None
    notebook: Any = None                      # the handed-in notebook (nbformat 4), None when unusable
    reading: Any = None                       # checks.notebook_format.Reading
    locked: Any = None                        # checks.locked_cells.Locked
    edition_hint: str | None = None           # the notebook seems to be of another edition
    request: dict[str, Any] | None = None     # what the probes were asked
    probes: ProbeRun | None = None
    expected: dict[str, Any] | None = None    # the assignment's expected values
    part_b: PartBRun = field(default_factory=PartBRun)   # the graded notebook run
    checks: dict[str, Check] = field(default_factory=dict)   # judged so far, by id
    memo: dict[str, Any] = field(default_factory=dict)

    def title(self, check_id: str) -> str:
        return registry.title(check_id, self.settings, self.profile)

    def points(self, check_id: str) -> float:
        """The check's points; 0 when this edition's rubric makes every criterion of it optional."""
        criteria = self.settings.rubric.get(check_id) or {}
        if criteria and not any(c.required for c in criteria.values()):
            return 0.0
        return self.settings.points[check_id]

    def scored(self, check_id: str, fraction: float, message: str, **extra) -> Check:
        """The check worth `fraction` of its points (see results.Check.scored)."""
        return Check.scored(check_id, self.title(check_id), fraction, self.points(check_id), message, **extra)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` the first time `key` is asked for (checks that share one evaluation)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @property
    def locator(self) -> Locator:
        """The definitions in the student's module, read statically (checks/locate.py)."""
        return self.once('locator', lambda: locator_for(self.workspace))

    def own_name(self, name: str) -> str:
        """The name the module gives a course class or function (an alias the probes found)."""
        names = self.probes.result('names') if self.probes is not None else None
        entry = ((names or {}).get('value') or {}).get('names', {}).get(name) if (names or {}).get('ok') else None
        return entry['via'] if isinstance(entry, dict) and entry.get('found') and entry.get('via') else name

    def place(self, error: dict[str, Any] | None = None, *, function: str | None = None,
              cls: str | None = None, method: str | None = None) -> Place | None:
        """Where to send the student: the line `error` was raised on, else the definition of
        `function`, or of `cls.method` (inherited methods found in their base class)."""
        found = from_error(error)
        if found is not None:
            found = self.locator.qualified(found)
        else:
            harness = from_harness(error, self.locator, self.own_name)
            if harness is False:        # a name the module lacks: no other definition stands in
                return None
            found = harness
        if found is None and function:
            found = self.locator.function(self.own_name(function))
        if found is None and cls:
            found = (self.locator.method(self.own_name(cls), method) if method
                     else self.locator.method(self.own_name(cls), '__init__'))
        return found

    @property
    def execution(self) -> dict[str, Any] | None:
        """The notebook run (notebook.execution.NotebookRun as a dict)."""
        return self.part_b.execution

    def task(self, task_id: str) -> dict[str, Any]:
        return next(t for t in self.request['tasks'] if t['id'] == task_id)

    def tasks(self, kind: str) -> list[dict[str, Any]]:
        return [t for t in self.request['tasks'] if t['kind'] == kind]
