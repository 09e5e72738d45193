"""Loading an assignment's settings, `assignments/<id>/assignment.toml`: one function per
table, each validating its fields (unknown fields included) and naming the field of any error."""
from __future__ import annotations

import math
import tomllib
from dataclasses import fields
from pathlib import Path

from .. import kit, registry
from ..sandbox.limits import Limits
from .criteria import WHOLE, criteria_of
from .schema import (ATTRIBUTES, COURSE_CLASSES, COURSE_MODULES, HISTORY_KEYS, PER_INSTANCE, Criterion, FunctionTable,
                     Grading, PartB, Profile, RandomPoints, Settings)
from .reader import Reader, SettingsError, fraction, positive

__all__ = ['assignments_dir', 'find_assignment', 'load_settings']


# The template's notebook metadata names its edition: {"autograder": {"assignment": id}}
# (authoring/template.py writes it, notebook/edition.py reads it).
NOTEBOOK_METADATA_KEY = 'autograder'
DEFAULT_ASSIGNMENT = 'eindopdracht-v2324.2'      # what the command line grades without --assignment


def assignments_dir() -> Path:
    """The folder holding one sub-folder per assignment (the repository's `assignments/`; the
    student kit's own copy when this is the kit)."""
    return kit.ASSIGNMENTS if kit.INSTALLED else Path(__file__).resolve().parents[2] / 'assignments'


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


def _aliases(r: Reader, key: str, known: tuple[str, ...], what: str) -> dict[str, list[str]]:
    """A table `course name = ["other", ...]` whose keys are the course's names in `known`."""
    table = r.table(key, {})
    aliases = {}
    for name in list(table.data):
        if name not in known:
            raise table.fail(name, f"one of the course's {what} ({', '.join(known)})", name)
        aliases[name] = table.strings(name)
    table.done()
    return aliases


def _course_modules(r: Reader, key: str) -> list[str]:
    names = r.strings(key, ['data'], nonempty=False)
    for name in names:
        if name not in COURSE_MODULES:
            raise r.fail(key, f"course modules the grader can install ({', '.join(COURSE_MODULES)})", name)
    return names


def _function_names(r: Reader, key: str, module: str, default=..., *, nonempty=True) -> list[str]:
    """Names of reference functions: each must exist in the reference, and only once."""
    names = r.strings(key, default, nonempty=nonempty)
    known = kit.course_names()[module]
    for name in names:
        if name not in known or name.startswith('_'):
            raise r.fail(key, f'names of functions in the reference ({", ".join(known)})', name)
    if len(set(names)) != len(names):
        raise r.fail(key, 'each function once', names)
    return names


def _function_table(r: Reader, *, losses: bool) -> FunctionTable:
    rnd = r.table('hidden_random')
    random_points = RandomPoints(
        count=rnd.get('count', int, check=lambda v: v >= 0, expected='a count ≥ 0'),
        low=rnd.number('low'), high=rnd.number('high'),
        seed=rnd.get('seed', int))
    if random_points.low > random_points.high:
        raise rnd.fail('low', f'low ≤ high ({random_points.high})', random_points.low)
    rnd.done()
    tol = r.table('tolerance')
    module = 'loss_functions' if losses else 'activation_functions'
    table = FunctionTable(
        tabled=_function_names(r, 'tabled', module),
        also_graded=_function_names(r, 'also_graded', module, [], nonempty=False),
        arguments=r.numbers('arguments', nonempty=True),
        hidden_points=r.numbers('hidden_points', []),
        hidden_random=random_points,
        relative_tolerance=tol.number('relative', check=positive, expected='a positive number'),
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


def _profile(name: str, r: Reader) -> Profile:
    profile = Profile(
        name=name,
        data_groups=r.get('data_groups', int, check=positive, expected='a positive integer'),
        hidden_groups=r.get('hidden_groups', int, check=positive, expected='a positive integer'),
        time_limit_minutes=r.number('time_limit_minutes', check=positive, expected='a positive number'),
        min_accuracy=r.number('min_accuracy', check=fraction, expected='a fraction in [0, 1]'),
        target_accuracy=r.number('target_accuracy', check=fraction, expected='a fraction in [0, 1]'),
        run_timeout_minutes=r.number('run_timeout_minutes', check=positive, expected='a positive number'),
        cell_timeout_minutes=r.number('cell_timeout_minutes', check=positive, expected='a positive number'),
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


def _required_activations(pb: Reader, act: Reader) -> list[str]:
    names = pb.strings('required_activations')
    graded = set(act.data.get('tabled', [])) | set(act.data.get('also_graded', []))
    for name in names:
        if name not in graded:
            raise pb.fail('required_activations', f'activations the grader grades (activations.tabled or '
                                                  f'also_graded: {", ".join(sorted(graded))})', name)
    return names


def _data_function(pb: Reader, key: str) -> str:
    """The name of a function of the course's data module (the reference's vlearning.data)."""
    known = kit.course_names()['data']
    return pb.get(key, str, check=lambda name: name in known,
                  expected=f'a function of the data module ({", ".join(known)})')


def _standin_module(name: str) -> bool:
    """A module with ensure_standin(); the student kit, which never runs Part B, has none."""
    if kit.INSTALLED:
        return True
    import importlib
    try:
        return callable(getattr(importlib.import_module(name), 'ensure_standin', None))
    except ImportError:
        return False


def _parameters(pb: Reader, key: str) -> dict[str, float]:
    table = pb.table(key, {})
    values = {name: table.number(name) for name in list(table.data)}
    table.done()
    return values


def _part_b(pb: Reader, act: Reader) -> PartB:
    overfit = pb.table('overfitting')
    review = pb.table('review', {})
    profiles_reader = pb.table('profiles')
    profiles = {name: _profile(name, profiles_reader.table(name)) for name in list(profiles_reader.data)}
    if 'full' not in profiles or 'quick' not in profiles:
        raise SettingsError(f"{pb.file}: part_b.profiles: expected the profiles 'full' and 'quick', "
                            f'found {sorted(profiles)}')
    profiles_reader.done()
    test_vars = pb.strings('test_variables')
    if len(test_vars) != 2 or not all(v.isidentifier() for v in test_vars):
        raise pb.fail('test_variables', 'two Python names: the test xs and ys', test_vars)
    labels = pb.get('class_labels', str)
    classes = pb.get('classes', int, check=positive, expected='a positive integer')
    if len(labels) != classes or len(set(labels)) != classes:
        raise pb.fail('class_labels', f'{classes} different characters (one per class)', labels)
    part_b = PartB(
        data_file=pb.get('data_file', str),
        loader=_data_function(pb, 'loader'),
        picture=_data_function(pb, 'picture'),
        standin=pb.get('standin', str, check=_standin_module, expected='a module with ensure_standin() '
                                                                       '(e.g. vlearning.data.standin)'),
        classes=classes,
        class_labels=labels,
        model_variable=pb.get('model_variable', str, check=str.isidentifier, expected='a Python name'),
        history_variable=pb.get('history_variable', str, check=str.isidentifier, expected='a Python name'),
        test_variables=(test_vars[0], test_vars[1]),
        required_activations=_required_activations(pb, act),
        required_parameters=_parameters(pb, 'required_parameters'),
        nominal_seconds_per_1000=pb.number('nominal_seconds_per_1000', check=positive,
                                           expected='a positive number'),
        overfitting_rise=overfit.number('rise_tolerance', check=lambda v: v >= 0, expected='a number ≥ 0'),
        overfitting_gap=overfit.number('gap_factor', check=lambda v: v >= 1, expected='a number ≥ 1'),
        hidden_seed=pb.get('hidden_seed', int),
        profiles=profiles,
        review_accuracy_margin=review.number('accuracy_margin', 0.15, check=lambda v: 0 <= v <= 1,
                                             expected='a fraction in [0, 1]'),
        review_min_instances=review.get('min_training_instances', int, 100, check=lambda v: v >= 0,
                                        expected='an integer ≥ 0'),
    )
    review.done()
    overfit.done()
    pb.done()
    return part_b


def _points(pts: Reader) -> dict[str, float]:
    points = {}
    for check_id in list(pts.data):
        if check_id not in registry.CHECK_IDS:
            raise SettingsError(f'{pts.file}: points.{check_id}: unknown check id '
                                f'(known: {", ".join(registry.CHECK_IDS)})')
        points[check_id] = pts.number(check_id, check=lambda v: v >= 0, expected='points ≥ 0')
    missing = [c for c in registry.CHECK_IDS if c not in points]
    if missing:
        raise SettingsError(f'{pts.file}: points.{missing[0]}: missing (every check needs its points; '
                            f'0 is allowed)')
    pts.done()
    return points


def _criterion(r: Reader, check_id: str, key: str) -> Criterion:
    criterion = Criterion(
        check=check_id, key=key,
        weight=r.number('weight', 1.0 if key == WHOLE else ..., check=positive, expected='a positive number'),
        required=r.get('required', bool),
        source=r.get('source', str, check=str.strip, expected='a non-empty string'),
        quote=r.get('quote', str, check=str.strip, expected="a non-empty string: the course's own words"))
    r.done()
    return criterion


def _rubric(rb: Reader) -> dict[str, dict[str, Criterion]]:
    """check id → its criteria: a check judged as a whole is one record, a check with several
    criteria a table of records, each named as settings/criteria.py declares it."""
    rubric = {}
    for check_id in list(rb.data):
        if check_id not in registry.CHECK_IDS:
            raise rb.fail(check_id, f'a check id (known: {", ".join(registry.CHECK_IDS)})', check_id)
        table = rb.table(check_id)
        keys = criteria_of(check_id)
        if keys == (WHOLE,):
            rubric[check_id] = {WHOLE: _criterion(table, check_id, WHOLE)}
            continue
        for key in list(table.data):
            if key not in keys:
                raise table.fail(key, f'a criterion of this check ({", ".join(keys)})', key)
        absent = [key for key in keys if key not in table.data]
        if absent:
            raise SettingsError(f'{rb.file}: rubric.{check_id}.{absent[0]}: missing (every criterion of the '
                                f'check needs its record)')
        rubric[check_id] = {key: _criterion(table.table(key), check_id, key) for key in keys}
        table.done()
    missing = [c for c in registry.CHECK_IDS if c not in rubric]
    if missing:
        raise SettingsError(f'{rb.file}: rubric.{missing[0]}: missing (every check needs its criteria, '
                            f'with their sources)')
    rb.done()
    return rubric


def _optional_number(value) -> float | None:
    return None if value is None else float(value)


def _grading(gr: Reader) -> Grading:
    grading = Grading(
        scale_min=gr.number('scale_min'), scale_max=gr.number('scale_max'),
        pass_mark=gr.number('pass_mark'),
        cap_on_failed_requirement=gr.number('cap_on_failed_requirement'),
        hard_requirements=gr.strings('hard_requirements'),
        rejected_grade=_optional_number(gr.get('rejected_grade', (int, float), None)),
    )
    for req in grading.hard_requirements:
        if req not in registry.CHECK_IDS:
            raise gr.fail('hard_requirements', f'check ids (known: {", ".join(registry.CHECK_IDS)})', req)
    if not grading.scale_min < grading.scale_max:
        raise gr.fail('scale_max', f'more than scale_min ({grading.scale_min})', grading.scale_max)
    for key in ('pass_mark', 'cap_on_failed_requirement', 'rejected_grade'):
        if key == 'rejected_grade' and grading.rejected_grade is None:
            continue
        if not grading.scale_min <= getattr(grading, key) <= grading.scale_max:
            raise gr.fail(key, f'a grade between scale_min ({grading.scale_min:g}) and scale_max '
                               f'({grading.scale_max:g})', getattr(grading, key))
    gr.done()
    return grading


def _sandbox(sb: Reader) -> dict[str, int | float]:
    known_limits = sorted({f.name for f in fields(Limits)} | {'output_mb', 'probe_seconds'})
    sandbox = {}
    for key in list(sb.data):
        if key not in known_limits:
            raise sb.fail(key, f'a known limit ({", ".join(known_limits)})', key)
        sandbox[key] = sb.get(key, (int, float), check=positive, expected='a positive number')
    sb.done()
    return sandbox


def _read(file: Path) -> Reader:
    try:
        data = tomllib.loads(file.read_text(encoding='utf-8'))
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f'{file}: not valid TOML: {error}') from None
    except OSError as error:
        raise SettingsError(f'{file}: cannot be read: {error.strerror}') from None
    return Reader(data, '', file)


def load_settings(assignment: str | Path) -> Settings:
    """Load and validate an assignment's settings (by id, folder or file)."""
    file = find_assignment(assignment)
    top = _read(file)
    a, s, m, nb = (top.table(key) for key in ('assignment', 'submission', 'module', 'notebook'))
    act, los, der = (top.table(key) for key in ('activations', 'losses', 'derivative'))
    up = top.table('updates')
    settings = Settings(
        file=file,
        id=a.get('id', str), title=a.get('title', str), course=a.get('course', str, ''),
        language=a.get('language', str, 'en'),
        zip_name=s.get('zip_name', str), module_file=s.get('module_file', str),
        package_name=s.get('package_name', str, check=str.isidentifier, expected='a Python name'),
        notebook=s.get('notebook', str), html_export=s.get('html_export', str),
        max_unpacked_mb=s.number('max_unpacked_mb', check=positive, expected='a positive number'),
        max_files=s.get('max_files', int, check=positive, expected='a positive integer'),
        import_names=m.strings('import_names'),
        optional_imports=m.strings('optional_imports', [], nonempty=False),
        course_modules=_course_modules(m, 'course_modules'),
        class_aliases=_aliases(m, 'class_aliases', COURSE_CLASSES, 'classes'),
        attribute_aliases=_aliases(m, 'attribute_aliases', ATTRIBUTES, 'attributes'),
        history_aliases=_aliases(m, 'history_aliases', HISTORY_KEYS, 'history keys'),
        master_notebook=nb.get('master', str),
        locked_marker=nb.get('locked_marker', str),
        activations=_function_table(act, losses=False),
        losses=_function_table(los, losses=True),
        derivative_points=der.numbers('points', nonempty=True),
        part_b=_part_b(top.table('part_b'), act),
        points=_points(top.table('points')),
        rubric=_rubric(top.table('rubric')),
        per_instance_updates=up.get(
            'per_instance', str, check=lambda v: v in PER_INSTANCE, expected=' or '.join(map(repr, PER_INSTANCE))),
        grading=_grading(top.table('grading')),
        sandbox=_sandbox(top.table('sandbox', {})),
    )
    for reader in (a, s, m, nb, der, up):
        reader.done()
    top.done()
    if file.parent.name != settings.id:
        raise SettingsError(f'{file}: assignment.id: expected the folder name '
                            f'{file.parent.name!r}, found {settings.id!r}')
    if not settings.master_path.is_file():
        raise SettingsError(f'{file}: notebook.master: expected a notebook next to the settings, '
                            f'found no file {settings.master_path}')
    return settings
