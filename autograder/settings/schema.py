"""What an assignment's settings hold, as frozen dataclasses (loaded by load.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import kit
from .reader import SettingsError

__all__ = ['RandomPoints', 'FunctionTable', 'Profile', 'PartB', 'Grading', 'Criterion', 'Settings',
           'COURSE_CLASSES', 'LAYER_CLASSES', 'ATTRIBUTES', 'HISTORY_KEYS', 'COURSE_MODULES', 'PER_INSTANCE']


# The classes of the course's API, as the reference defines them (module.class_aliases may
# name other spellings for these).
COURSE_CLASSES = tuple(kit.course_names()['classes'])
# Its layer classes (the base Layer aside), in the reference's order.
LAYER_CLASSES = tuple(kit.course_names()['layers'])


# The attributes and history keys of the course's API that students are known to name otherwise
# (module.attribute_aliases, module.history_aliases give the other names).
ATTRIBUTES = ('next', 'bias', 'weights', 'inputs', 'outputs')
HISTORY_KEYS = ('loss', 'val_loss')
# The modules the course hands out beside the student's (module.course_modules).
COURSE_MODULES = ('data',)


@dataclass(frozen=True)
class RandomPoints:
    """Hidden probe points drawn uniformly in [low, high] from a fixed seed."""
    count: int
    low: float
    high: float
    seed: int


@dataclass(frozen=True)
class FunctionTable:
    """A table of functions the notebook prints, plus the hidden points the grader adds."""
    tabled: list[str]               # functions in the notebook's table (graded, required)
    also_graded: list[str]          # graded when the module defines them
    arguments: list[float]          # the table's arguments
    hidden_points: list[float]      # fixed hidden points (e.g. the overflow range)
    hidden_random: RandomPoints
    relative_tolerance: float
    absolute_tolerance: float
    zero_sign: str                  # 'strict' | 'note' | 'ignore'
    target: float | None = None     # losses: the y of the table, L(ŷ; target)
    hidden_targets: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Profile:
    """How Part B is run: the full requirements, or a scaled-down run for demos and CI."""
    name: str
    data_groups: int                # groups of the data file visible to the notebook
    hidden_groups: int              # groups withheld for the hidden test set
    time_limit_minutes: float       # normalised minutes allowed for the graded run
    min_accuracy: float
    target_accuracy: float
    run_timeout_minutes: float      # wall-clock limit for the whole notebook run
    cell_timeout_minutes: float
    parameters: dict[str, Any]      # injected after a cell tagged 'parameters', if any


@dataclass(frozen=True)
class PartB:
    data_file: str                  # the course's data file the notebook reads
    loader: str                     # the data module's function that reads it (data.<loader>)
    picture: str                    # the data module's function that shows instances (data.<picture>)
    standin: str                    # the module whose ensure_standin() builds the embedded stand-in
    classes: int
    class_labels: str               # one character per class, in the file's order
    model_variable: str
    history_variable: str
    test_variables: tuple[str, str]
    required_activations: list[str]
    required_parameters: dict[str, float]   # keyword arguments the required activation must get
    nominal_seconds_per_1000: float
    overfitting_rise: float
    overfitting_gap: float
    hidden_seed: int
    profiles: dict[str, Profile]
    review_accuracy_margin: float = 0.15    # flag: hidden accuracy above the own test accuracy by more
    review_min_instances: int = 100         # flag: the graded run trains on fewer instances


@dataclass(frozen=True)
class Grading:
    scale_min: float
    scale_max: float
    pass_mark: float
    cap_on_failed_requirement: float
    hard_requirements: list[str]
    rejected_grade: float | None = None     # what the exports give a rejected attempt; None: no grade


@dataclass(frozen=True)
class Criterion:
    """One point-bearing criterion of a check (`[rubric]`): what it weighs and where the course asks for it."""
    check: str
    key: str                        # settings/criteria.py names the criteria of each check
    weight: float                   # its share of the check's points, relative to the check's other required criteria
    required: bool                  # False: judged and reported as a note worth 0 in this edition
    source: str                     # where the course asks for it (section, cell, document)
    quote: str                      # the course's own sentence


PER_INSTANCE = ('accept', 'partial', 'reject')


@dataclass(frozen=True)
class Settings:
    file: Path
    id: str
    title: str
    course: str
    language: str
    # submission
    zip_name: str
    module_file: str
    package_name: str
    notebook: str
    html_export: str
    max_unpacked_mb: float
    max_files: int
    # module
    import_names: list[str]
    optional_imports: list[str]
    course_modules: list[str]                 # handed out by the course: allowed, installed by the grader
    class_aliases: dict[str, list[str]]
    attribute_aliases: dict[str, list[str]]   # course attribute → other names (bias → biases)
    history_aliases: dict[str, list[str]]     # course history key → other names (val_loss → validation_loss)
    # notebook
    master_notebook: str
    locked_marker: str
    # Part A
    activations: FunctionTable
    losses: FunctionTable
    derivative_points: list[float]
    # Part B
    part_b: PartB
    # points
    points: dict[str, float]
    rubric: dict[str, dict[str, Criterion]]   # check id → criterion key → criterion
    per_instance_updates: str                 # 'accept' | 'partial' | 'reject' (PER_INSTANCE)
    grading: Grading
    sandbox: dict[str, int | float]     # resource limits (autograder.sandbox.Limits fields)

    @property
    def folder(self) -> Path:
        return self.file.parent

    @property
    def expected_file(self) -> Path:
        return self.folder / 'expected.json'

    @property
    def master_path(self) -> Path:
        return self.folder / self.master_notebook

    @property
    def max_points(self) -> float:
        return sum(self.points.values())

    def criteria(self, check_id: str) -> dict[str, Criterion]:
        return self.rubric[check_id]

    def profile(self, name: str) -> Profile:
        try:
            return self.part_b.profiles[name]
        except KeyError:
            raise SettingsError(f'{self.file}: no profile {name!r} in part_b.profiles '
                                f'(known: {", ".join(self.part_b.profiles)})') from None


