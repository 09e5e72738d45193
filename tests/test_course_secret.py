"""The course secret (issue 21): hidden probe points and hidden test groups derive from a
secret outside the repository, so what the repository says no longer tells a student what
is hidden; the same secret asks the same questions at every regrade."""
import os
import random
import stat

import pytest

from autograder.authoring.bundle import model_source
from autograder.cli import main
from autograder.grade import judge_part_a, probe_module
from autograder.part_b.hidden_set import split_data_file
from autograder.probes.points import JITTER, hidden_points
from autograder.probes.request import build_tasks
from autograder.sandbox.isolation import Isolation
from autograder.settings import SettingsError, load_settings
from autograder.settings.course_secret import (CourseSecret, derive_seed, find_secret, init_secret, read_secret,
                                               public_test_secret)

SETTINGS = load_settings('eindopdracht-v2324.2')
OTHER = CourseSecret(b'0123456789abcdef0123456789abcdef', 'instructor')


def repository_points(table):
    """The hidden points as the repository alone chose them before the secret: the fixed list,
    then draws from the settings' own seed."""
    rnd = table.hidden_random
    rng = random.Random(rnd.seed)
    return list(table.hidden_points) + [round(rng.uniform(rnd.low, rnd.high), 6) for _ in range(rnd.count)]


@pytest.mark.parametrize('secret', [public_test_secret(), OTHER], ids=['test-secret', 'other-secret'])
def test_hidden_points_differ_from_the_repositorys_and_keep_their_kind(secret):
    for kind, table in (('activations', SETTINGS.activations), ('losses', SETTINGS.losses)):
        points = hidden_points(table, secret, SETTINGS.id, kind)
        assert not set(points) & set(repository_points(table)), kind
        anchors = points[:len(table.hidden_points)]
        for anchor, point in zip(table.hidden_points, anchors):
            assert abs(point - anchor) <= abs(anchor) * JITTER * 1.0001
            # the kind of point stays: below / above the overflow of exp at 709.78
            assert (abs(point) > 709.78) == (abs(anchor) > 709.78)
        rnd = table.hidden_random
        assert all(rnd.low <= p <= rnd.high for p in points[len(anchors):])


def test_same_secret_same_questions_other_secret_other_questions():
    def hidden_args(secret):
        return [t['args'] for t in build_tasks(SETTINGS, secret)['tasks'] if t['kind'] == 'call']
    assert hidden_args(CourseSecret(OTHER.key, 'a copy')) == hidden_args(OTHER)
    assert hidden_args(public_test_secret()) != hidden_args(OTHER)
    assert derive_seed(OTHER, SETTINGS.id, 'hidden-groups/2324') != derive_seed(public_test_secret(), SETTINGS.id,
                                                                                 'hidden-groups/2324')
    assert derive_seed(OTHER, 'eindopdracht-v2324.1', 'x') != derive_seed(OTHER, 'eindopdracht-v2324.2', 'x')


HARD_CODED = '''

# --- right only at the points the repository names (and the public table), overflowing elsewhere ---
_KNOWN = set(@POINTS@)


def _hard_coded(function):
    def answer(a, *rest, **kwargs):
        if a in _KNOWN or abs(a) <= 700:
            return function(a, *rest, **kwargs)
        raise OverflowError('math range error')
    answer.__name__ = function.__name__
    return answer


for _name in @NAMES@:
    globals()[_name] = _hard_coded(globals()[_name])
'''


def test_a_module_hard_coded_at_the_repositorys_points_loses_the_hidden_points(tmp_path):
    acts = SETTINGS.activations
    known = sorted(set(repository_points(acts)) | set(acts.arguments))
    source = model_source() + HARD_CODED.replace('@POINTS@', repr(known)).replace('@NAMES@', repr(acts.tabled))
    # right at every point the repository names
    namespace = {'__name__': 'hard_coded'}
    exec(compile(source, 'model.py', 'exec'), namespace)
    reference = {'__name__': 'reference'}
    exec(compile(model_source(), 'model.py', 'exec'), reference)
    for name in acts.tabled:
        assert [namespace[name](x) for x in repository_points(acts)] == [reference[name](x) for x in
                                                                          repository_points(acts)]
    isolation = Isolation()
    folder = isolation.workspace()
    (folder / 'model.py').write_text(source, encoding='utf-8')
    request, run = probe_module(SETTINGS, folder, 'flat', secret=public_test_secret(),
                                limits=isolation.probe_limits(SETTINGS), sandbox=isolation.sandbox)
    checks = {c.id: c for c in judge_part_a(SETTINGS, request, run, secret=public_test_secret())}
    assert checks['activations.table'].status == 'pass'
    hidden = checks['activations.hidden']
    rows = {r['function']: r for r in hidden.details['functions']}
    assert all(not rows[name]['ok'] for name in acts.tabled), rows        # every hard-coded one
    assert hidden.points <= hidden.max_points * (1 - len(acts.tabled) / len(rows)) + 1e-9
    assert 'wrong for large' in hidden.message and 'OverflowError' in hidden.message


def test_a_lookup_table_from_the_stand_in_and_the_old_seed_scores_near_chance(tmp_path):
    """The red-team's table: the images the repository's hidden_seed withheld from the public
    stand-in, answering class 0 for any other image. With the secret's groups it is at chance."""
    from vlearning.data.standin import ensure_standin
    part_b, quick = SETTINGS.part_b, SETTINGS.profile('quick')
    source = ensure_standin()
    old = split_data_file(source, tmp_path / 'old.dat', classes=26, data_groups=quick.data_groups,
                          hidden_groups=quick.hidden_groups, seed=part_b.hidden_seed)
    table = dict(zip(old.images, old.labels))
    seed = derive_seed(public_test_secret(), SETTINGS.id, f'hidden-groups/{part_b.hidden_seed}')
    new = split_data_file(source, tmp_path / 'new.dat', classes=26, data_groups=quick.data_groups,
                          hidden_groups=quick.hidden_groups, seed=seed)
    assert set(new.groups) != set(old.groups)
    accuracy = sum(table.get(image, 0) == label for image, label in zip(new.images, new.labels)) / len(new)
    overlap = len(set(new.groups) & set(old.groups)) / len(new.groups)
    assert accuracy <= overlap + 1 / 26 + 1e-9 and accuracy < 0.1, (accuracy, overlap)
    assert len(new) == 520 and sum(table.get(image, 0) == label for image, label in zip(old.images, old.labels)) == 520


def test_hidden_groups_from_a_separate_file_students_never_had(tmp_path):
    from vlearning.data.standin import ensure_standin
    raw = ensure_standin().read_bytes()
    group = 26 * 72
    students, hidden_file = tmp_path / 'students.dat', tmp_path / 'hidden.dat'
    students.write_bytes(raw[:130 * group])
    hidden_file.write_bytes(raw[1000 * group:1050 * group])
    hidden = split_data_file(students, tmp_path / 'visible.dat', classes=26, data_groups=120, hidden_groups=20,
                             seed=7, hidden_source=hidden_file)
    assert (tmp_path / 'visible.dat').read_bytes() == raw[:120 * group]     # the first groups, none withheld
    assert len(hidden) == 520 and all(0 <= g < 50 for g in hidden.groups)
    students_images = {raw[i:i + 72].hex() for i in range(0, 130 * group, 72)}
    assert not set(hidden.images) & students_images
    with pytest.raises(ValueError, match='holds 50 groups'):
        split_data_file(students, tmp_path / 'v.dat', classes=26, data_groups=120, hidden_groups=60, seed=7,
                        hidden_source=hidden_file)


def test_secret_init_writes_a_private_file_and_never_replaces_one_silently(tmp_path):
    path = init_secret(tmp_path / 'config' / 'autograder' / 'secret')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = read_secret(path)
    assert len(secret.key) == 64 and not secret.is_test
    with pytest.raises(SettingsError, match='pass --force'):
        init_secret(path)
    assert read_secret(init_secret(path, force=True)).key != secret.key
    (tmp_path / 'short').write_text('abc')
    with pytest.raises(SettingsError, match='too short'):
        read_secret(tmp_path / 'short')


def test_where_the_secret_is_found(tmp_path, monkeypatch):
    monkeypatch.delenv('AUTOGRADER_TEST_SECRET', raising=False)
    monkeypatch.delenv('AUTOGRADER_SECRET_FILE', raising=False)
    monkeypatch.setenv('XDG_CONFIG_HOME', str(tmp_path / 'config'))
    assert find_secret() is None
    default = init_secret()
    assert default == tmp_path / 'config' / 'autograder' / 'secret'
    assert find_secret().source == str(default)
    other = init_secret(tmp_path / 'other')
    monkeypatch.setenv('AUTOGRADER_SECRET_FILE', str(other))
    assert find_secret().source == str(other)
    assert find_secret(default).source == str(default)          # --secret-file first
    assert find_secret(test=True).is_test


def test_grading_without_a_secret_tells_the_instructor_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv('AUTOGRADER_TEST_SECRET', raising=False)
    monkeypatch.delenv('AUTOGRADER_SECRET_FILE', raising=False)
    monkeypatch.setenv('XDG_CONFIG_HOME', str(tmp_path / 'config'))
    assert main(['grade', str(tmp_path / 'x.zip'), '--out', str(tmp_path / 'out')]) == 2
    error = capsys.readouterr().err
    assert 'no course secret' in error and '`autograder secret init`' in error and '--test-secret' in error
    assert main(['secret', 'init']) == 0
    assert stat.S_IMODE((tmp_path / 'config' / 'autograder' / 'secret').stat().st_mode) == 0o600
    assert os.path.isfile(tmp_path / 'config' / 'autograder' / 'secret')
