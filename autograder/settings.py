"""An assignment's settings: `assignments/<id>/assignment.toml`, validated on load.

Everything the grader does for an assignment is read from here (files, tables, probe
points, Part B requirements, points, profiles), so that next year's instructor edits one
file instead of code. Validation errors name the file and the field
(e.g. `part_b.profiles.quick.data_groups`), say what was expected and what was found.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ['SettingsError', 'Settings', 'Profile', 'load_settings', 'assignments_dir',
           'find_assignment', 'CHECK_IDS', 'STATIC_CHECKS', 'PART_A_CHECKS', 'PART_B_CHECKS']

# Every check the grader can report, by the step that makes it, in report order.
# The settings give each its points.
STATIC_CHECKS = ('submission.files', 'static.imports', 'static.notebook-format', 'static.locked-cells')
PART_A_CHECKS = ('activations.table', 'activations.hidden', 'derivative', 'losses.table', 'losses.hidden',
                 'neuron.perceptron', 'neuron.svm', 'neuron.logistic', 'neuron.linear-regression',
                 'layers.api', 'layers.gradients', 'layers.updates', 'layers.training')
PART_B_CHECKS = ('notebook.runs', 'partb.activation', 'partb.time', 'partb.accuracy', 'partb.overfitting')
CHECK_IDS = STATIC_CHECKS + PART_A_CHECKS + PART_B_CHECKS


# The classes of the course's API (class_aliases may name other spellings for these).
COURSE_CLASSES = ('Layer', 'InputLayer', 'DenseLayer', 'ActivationLayer', 'SoftmaxLayer', 'LossLayer',
                  'Perceptron', 'LinearRegression', 'Neuron')


# The attributes and history keys of the course's API that students are known to name otherwise
# (module.attribute_aliases, module.history_aliases give the other names).
ATTRIBUTES = ('next', 'bias', 'weights')
HISTORY_KEYS = ('loss', 'val_loss')


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the file and the field."""


def assignments_dir() -> Path:
    """The folder holding one sub-folder per assignment (the repository's `assignments/`)."""
    return Path(__file__).resolve().parents[1] / 'assignments'


def find_assignment(assignment: str | Path) -> Path:
    """An assignment id (folder name under assignments/) or a path to a folder / settings file."""
    path = Path(assignment)
    if path.is_file():
        return path
    if path.is_dir():
        return path / 'assignment.toml'
    candidate = assignments_dir() / str(assignment) / 'assignment.toml'
    if candidate.is_file():
        return candidate
    known = sorted(p.parent.name for p in assignments_dir().glob('*/assignment.toml'))
    raise SettingsError(f'unknown assignment {str(assignment)!r}: no {candidate}; '
                        f'known assignments: {", ".join(known) or "none"}')


class _Reader:
    """Typed access to one TOML table that remembers where it is, for error messages."""

    def __init__(self, data: dict, path: str, file: Path):
        self.data, self.path, self.file = data, path, file
        self.used: set[str] = set()

    def _name(self, key: str) -> str:
        return f'{self.path}.{key}' if self.path else key

    def fail(self, key: str, expected: str, found: Any = None) -> SettingsError:
        got = '' if found is None else f', found {found!r}'
        return SettingsError(f'{self.file}: {self._name(key)}: expected {expected}{got}')

    def get(self, key: str, kind: type | tuple, default: Any = ..., *, check=None, expected=None):
        self.used.add(key)
        if key not in self.data:
            if default is ...:
                raise SettingsError(f'{self.file}: {self._name(key)}: missing '
                                    f'(expected {expected or _kind_name(kind)})')
            return default
        value = self.data[key]
        ok = isinstance(value, kind) and not (kind in (int, (int, float)) and isinstance(value, bool))
        if ok and kind == (int, float):
            ok = math.isfinite(value)
        if not ok or (check is not None and not check(value)):
            raise self.fail(key, expected or _kind_name(kind), value)
        return value

    def number(self, key, default=..., *, check=None, expected=None) -> float:
        return float(self.get(key, (int, float), default, check=check, expected=expected))

    def strings(self, key, default=..., *, nonempty=True) -> list[str]:
        value = self.get(key, list, default, expected='a list of strings')
        if not all(isinstance(v, str) and v for v in value) or (nonempty and not value):
            raise self.fail(key, 'a non-empty list of non-empty strings', value)
        return list(value)

    def numbers(self, key, default=..., *, nonempty=False) -> list[float]:
        value = self.get(key, list, default, expected='a list of numbers')
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                   for v in value) or (nonempty and not value):
            raise self.fail(key, f'a {"non-empty " if nonempty else ""}list of finite numbers', value)
        return [float(v) for v in value]

    def table(self, key, default=...) -> '_Reader':
        value = self.get(key, dict, {} if default is not ... else ..., expected='a table')
        return _Reader(value, self._name(key), self.file)

    def done(self) -> None:
        """Reject unknown keys: a typo in a field name must not pass silently."""
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            where = self.path or 'the top level'
            raise SettingsError(f'{self.file}: unknown field {self._name(unknown[0])!r} in '
                                f'{where} (known: {", ".join(sorted(self.used))})')


def _kind_name(kind) -> str:
    names = {str: 'a string', int: 'an integer', float: 'a number', bool: 'true or false',
             list: 'a list', dict: 'a table', (int, float): 'a number'}
    return names.get(kind, str(kind))


def _positive(v) -> bool:
    return v > 0


def _fraction(v) -> bool:
    return 0 <= v <= 1


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
    data_file: str
    classes: int
    letters: str
    model_variable: str
    history_variable: str
    test_variables: tuple[str, str]
    required_activations: list[str]
    nominal_seconds_per_1000: float
    overfitting_rise: float
    overfitting_gap: float
    hidden_seed: int
    profiles: dict[str, Profile]


@dataclass(frozen=True)
class Grading:
    scale_min: float
    scale_max: float
    pass_mark: float
    cap_on_failed_requirement: float
    hard_requirements: list[str]


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

    def profile(self, name: str) -> Profile:
        try:
            return self.part_b.profiles[name]
        except KeyError:
            raise SettingsError(f'{self.file}: no profile {name!r} in part_b.profiles '
                                f'(known: {", ".join(self.part_b.profiles)})') from None


def _aliases(r: _Reader, key: str, known: tuple[str, ...], what: str) -> dict[str, list[str]]:
    """A table `course name = ["other", ...]` whose keys are the course's names in `known`."""
    table = r.table(key, {})
    aliases = {}
    for name in list(table.data):
        if name not in known:
            raise table.fail(name, f"one of the course's {what} ({', '.join(known)})", name)
        aliases[name] = table.strings(name)
    table.done()
    return aliases


def _course_modules(r: _Reader, key: str) -> list[str]:
    from .workspace_setup import COURSE_SOURCES
    names = r.strings(key, ['data'], nonempty=False)
    for name in names:
        if name not in COURSE_SOURCES:
            raise r.fail(key, f"course modules the grader can install ({', '.join(COURSE_SOURCES)})", name)
    return names


def _function_names(r: _Reader, key: str, module, default=..., *, nonempty=True) -> list[str]:
    """Names of reference functions: each must exist in the reference, and only once."""
    names = r.strings(key, default, nonempty=nonempty)
    for name in names:
        if not callable(getattr(module, name, None)) or name.startswith('_'):
            raise r.fail(key, f'names of functions in the reference ({", ".join(module.__all__)})', name)
    if len(set(names)) != len(names):
        raise r.fail(key, 'each function once', names)
    return names


def _function_table(r: _Reader, *, losses: bool) -> FunctionTable:
    rnd = r.table('hidden_random')
    random_points = RandomPoints(
        count=rnd.get('count', int, check=lambda v: v >= 0, expected='a count ≥ 0'),
        low=rnd.number('low'), high=rnd.number('high'),
        seed=rnd.get('seed', int))
    if random_points.low > random_points.high:
        raise rnd.fail('low', f'low ≤ high ({random_points.high})', random_points.low)
    rnd.done()
    tol = r.table('tolerance')
    from vlearning import activation_functions, loss_functions
    module = loss_functions if losses else activation_functions
    table = FunctionTable(
        tabled=_function_names(r, 'tabled', module),
        also_graded=_function_names(r, 'also_graded', module, [], nonempty=False),
        arguments=r.numbers('arguments', nonempty=True),
        hidden_points=r.numbers('hidden_points', []),
        hidden_random=random_points,
        relative_tolerance=tol.number('relative', check=_positive, expected='a positive number'),
        absolute_tolerance=tol.number('absolute', check=lambda v: v >= 0, expected='a number ≥ 0'),
        zero_sign=r.get('zero_sign', str, 'note', check=lambda v: v in ('strict', 'note', 'ignore'),
                        expected="'strict', 'note' or 'ignore'"),
        target=r.number('target') if losses else None,
        hidden_targets=r.numbers('hidden_targets') if losses else [],
    )
    tol.done()
    if set(table.tabled) & set(table.also_graded):
        raise r.fail('also_graded', 'functions that are not also in tabled',
                     sorted(set(table.tabled) & set(table.also_graded)))
    r.done()
    return table


def _plain_value(value) -> bool:
    if isinstance(value, (bool, int, float, str)):
        return not isinstance(value, float) or math.isfinite(value)
    return isinstance(value, list) and all(_plain_value(v) for v in value)


def _profile(name: str, r: _Reader) -> Profile:
    profile = Profile(
        name=name,
        data_groups=r.get('data_groups', int, check=_positive, expected='a positive integer'),
        hidden_groups=r.get('hidden_groups', int, check=_positive, expected='a positive integer'),
        time_limit_minutes=r.number('time_limit_minutes', check=_positive, expected='a positive number'),
        min_accuracy=r.number('min_accuracy', check=_fraction, expected='a fraction in [0, 1]'),
        target_accuracy=r.number('target_accuracy', check=_fraction, expected='a fraction in [0, 1]'),
        run_timeout_minutes=r.number('run_timeout_minutes', check=_positive, expected='a positive number'),
        cell_timeout_minutes=r.number('cell_timeout_minutes', check=_positive, expected='a positive number'),
        parameters=dict(r.get('parameters', dict, {})),
    )
    for key, value in profile.parameters.items():
        if not key.isidentifier() or not _plain_value(value):
            raise r.fail('parameters', 'Python names mapped to numbers, strings, booleans or lists of '
                                       'those (they are written into the notebook as code)', {key: value})
    if profile.cell_timeout_minutes > profile.run_timeout_minutes:
        raise r.fail('cell_timeout_minutes', f'at most run_timeout_minutes ({profile.run_timeout_minutes:g})',
                     profile.cell_timeout_minutes)
    if profile.min_accuracy > profile.target_accuracy:
        raise r.fail('min_accuracy', f'at most target_accuracy ({profile.target_accuracy})',
                     profile.min_accuracy)
    r.done()
    return profile


def _required_activations(pb: _Reader, act: _Reader) -> list[str]:
    names = pb.strings('required_activations')
    graded = set(act.data.get('tabled', [])) | set(act.data.get('also_graded', []))
    for name in names:
        if name not in graded:
            raise pb.fail('required_activations', f'activations the grader grades (activations.tabled or '
                                                  f'also_graded: {", ".join(sorted(graded))})', name)
    return names


def load_settings(assignment: str | Path) -> Settings:
    """Load and validate an assignment's settings (by id, folder or file)."""
    file = find_assignment(assignment)
    try:
        data = tomllib.loads(file.read_text(encoding='utf-8'))
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f'{file}: not valid TOML: {error}') from None
    except OSError as error:
        raise SettingsError(f'{file}: cannot be read: {error.strerror}') from None
    top = _Reader(data, '', file)

    a = top.table('assignment')
    s = top.table('submission')
    m = top.table('module')
    nb = top.table('notebook')
    act = top.table('activations')
    los = top.table('losses')
    der = top.table('derivative')
    pb = top.table('part_b')
    pts = top.table('points')
    gr = top.table('grading')
    sb = top.table('sandbox', {})

    aliases = _aliases(m, 'class_aliases', COURSE_CLASSES, 'classes')
    attribute_aliases = _aliases(m, 'attribute_aliases', ATTRIBUTES, 'attributes')
    history_aliases = _aliases(m, 'history_aliases', HISTORY_KEYS, 'history keys')

    overfit = pb.table('overfitting')
    profiles_reader = pb.table('profiles')
    profile_names = list(profiles_reader.data)
    profiles = {}
    for name in profile_names:
        profiles[name] = _profile(name, profiles_reader.table(name))
    if 'full' not in profiles or 'quick' not in profiles:
        raise SettingsError(f"{file}: part_b.profiles: expected the profiles 'full' and 'quick', "
                            f'found {sorted(profiles)}')
    profiles_reader.done()
    test_vars = pb.strings('test_variables')
    if len(test_vars) != 2 or not all(v.isidentifier() for v in test_vars):
        raise pb.fail('test_variables', 'two Python names: the test xs and ys', test_vars)
    letters = pb.get('letters', str)
    classes = pb.get('classes', int, check=_positive, expected='a positive integer')
    if len(letters) != classes or len(set(letters)) != classes:
        raise pb.fail('letters', f'{classes} different letters (one per class)', letters)
    part_b = PartB(
        data_file=pb.get('data_file', str),
        classes=classes,
        letters=letters,
        model_variable=pb.get('model_variable', str, check=str.isidentifier, expected='a Python name'),
        history_variable=pb.get('history_variable', str, check=str.isidentifier, expected='a Python name'),
        test_variables=(test_vars[0], test_vars[1]),
        required_activations=_required_activations(pb, act),
        nominal_seconds_per_1000=pb.number('nominal_seconds_per_1000', check=_positive,
                                           expected='a positive number'),
        overfitting_rise=overfit.number('rise_tolerance', check=lambda v: v >= 0, expected='a number ≥ 0'),
        overfitting_gap=overfit.number('gap_factor', check=lambda v: v >= 1, expected='a number ≥ 1'),
        hidden_seed=pb.get('hidden_seed', int),
        profiles=profiles,
    )
    overfit.done()

    points = {}
    for check_id in list(pts.data):
        if check_id not in CHECK_IDS:
            raise SettingsError(f'{file}: points.{check_id}: unknown check id '
                                f'(known: {", ".join(CHECK_IDS)})')
        points[check_id] = pts.number(check_id, check=lambda v: v >= 0, expected='points ≥ 0')
    missing = [c for c in CHECK_IDS if c not in points]
    if missing:
        raise SettingsError(f'{file}: points.{missing[0]}: missing (every check needs its points; '
                            f'0 is allowed)')
    pts.done()

    grading = Grading(
        scale_min=gr.number('scale_min'), scale_max=gr.number('scale_max'),
        pass_mark=gr.number('pass_mark'),
        cap_on_failed_requirement=gr.number('cap_on_failed_requirement'),
        hard_requirements=gr.strings('hard_requirements'),
    )
    for req in grading.hard_requirements:
        if req not in CHECK_IDS:
            raise gr.fail('hard_requirements', f'check ids (known: {", ".join(CHECK_IDS)})', req)
    if not grading.scale_min < grading.scale_max:
        raise gr.fail('scale_max', f'more than scale_min ({grading.scale_min})', grading.scale_max)
    for key in ('pass_mark', 'cap_on_failed_requirement'):
        if not grading.scale_min <= getattr(grading, key) <= grading.scale_max:
            raise gr.fail(key, f'a grade between scale_min ({grading.scale_min:g}) and scale_max '
                               f'({grading.scale_max:g})', getattr(grading, key))
    gr.done()

    from .sandbox.limits import Limits
    known_limits = sorted({f.name for f in fields(Limits)} | {'output_mb', 'probe_seconds'})
    sandbox = {}
    for key in list(sb.data):
        if key not in known_limits:
            raise sb.fail(key, f'a known limit ({", ".join(known_limits)})', key)
        sandbox[key] = sb.get(key, (int, float), check=_positive, expected='a positive number')
    sb.done()

    settings = Settings(
        file=file,
        id=a.get('id', str), title=a.get('title', str), course=a.get('course', str, ''),
        language=a.get('language', str, 'en'),
        zip_name=s.get('zip_name', str), module_file=s.get('module_file', str),
        package_name=s.get('package_name', str, check=str.isidentifier, expected='a Python name'),
        notebook=s.get('notebook', str), html_export=s.get('html_export', str),
        max_unpacked_mb=s.number('max_unpacked_mb', check=_positive, expected='a positive number'),
        max_files=s.get('max_files', int, check=_positive, expected='a positive integer'),
        import_names=m.strings('import_names'),
        optional_imports=m.strings('optional_imports', [], nonempty=False),
        course_modules=_course_modules(m, 'course_modules'),
        class_aliases=aliases,
        attribute_aliases=attribute_aliases,
        history_aliases=history_aliases,
        master_notebook=nb.get('master', str),
        locked_marker=nb.get('locked_marker', str),
        activations=_function_table(act, losses=False),
        losses=_function_table(los, losses=True),
        derivative_points=der.numbers('points', nonempty=True),
        part_b=part_b, points=points, grading=grading, sandbox=sandbox,
    )
    for reader in (a, s, m, nb, der, pb):
        reader.done()
    top.done()
    if file.parent.name != settings.id:
        raise SettingsError(f'{file}: assignment.id: expected the folder name '
                            f'{file.parent.name!r}, found {settings.id!r}')
    if not settings.master_path.is_file():
        raise SettingsError(f'{file}: notebook.master: expected a notebook next to the settings, '
                            f'found no file {settings.master_path}')
    return settings
