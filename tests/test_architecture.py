"""The grader's layout: data flows one way, names do not collide, the probe runner stays
standard-library only, and the registry is the one place a check is declared."""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / 'autograder'
RUNNER = PACKAGE / 'probes' / 'vlgrader_probe'


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def _type_checking_only(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and 'TYPE_CHECKING' in ast.unparse(node.test):
            return True
    return False


def imports_of(path: Path) -> set[str]:
    """Grader modules a file imports, anywhere in it (functions too), except under
    `if TYPE_CHECKING:` (never run)."""
    tree = ast.parse(path.read_text(encoding='utf-8'))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    here = module_name(path)
    package = here if path.name == '__init__.py' else here.rpartition('.')[0]
    found = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith('autograder'))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split('.')
                base = base[:len(base) - node.level + 1]
                target = '.'.join(base + ([node.module] if node.module else []))
                found.add(target)
                if not node.module:                     # from . import x
                    found.update(f'{target}.{a.name}' for a in node.names)
            elif node.module and node.module.startswith('autograder'):
                found.add(node.module)
                found.update(f'{node.module}.{a.name}' for a in node.names)
    return {name for name in found if name.startswith('autograder')}


def unit(module: str) -> str:
    """The part of the grader a module belongs to: its subpackage, or the top-level module."""
    parts = module.split('.')
    return parts[1] if len(parts) > 1 else parts[0]


def grader_files():
    return [p for p in PACKAGE.rglob('*.py') if '__pycache__' not in p.parts]


def unit_graph() -> dict[str, set[str]]:
    known = {module_name(p) for p in grader_files()}
    graph = defaultdict(set)
    for path in grader_files():
        source = unit(module_name(path))
        for target in imports_of(path):
            while target not in known and '.' in target:      # `from pkg import name`: the module
                target = target.rpartition('.')[0]
            if target in known and unit(target) != source and target != 'autograder':
                graph[source].add(unit(target))
    return graph


def test_no_cycle_between_the_parts_of_the_grader():
    graph = unit_graph()
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node):
        state[node] = 'open'
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 'open':
                cycle = path[path.index(target):] + [target]
                pytest.fail('import cycle between parts of the grader: ' + ' → '.join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = 'done'

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_probes_and_results_do_not_import_the_checks():
    graph = unit_graph()
    assert 'checks' not in graph['probes'], graph['probes']
    assert 'checks' not in graph['results'], graph['results']


def test_the_top_level_holds_at_most_four_modules():
    modules = sorted(p.name for p in PACKAGE.glob('*.py') if p.name not in ('__init__.py', '__main__.py'))
    assert len(modules) <= 4, modules


def test_module_names_do_not_collide():
    """A name says which module is meant: no two modules of the grader share one."""
    names = defaultdict(list)
    for path in grader_files():
        if path.name not in ('__init__.py', '__main__.py'):
            names[path.stem].append(str(path.relative_to(ROOT)))
    for package in {p.parent for p in grader_files() if p.name == '__init__.py'}:
        names[package.name].append(str(package.relative_to(ROOT)) + '/')
    assert not {k: v for k, v in names.items() if len(v) > 1}


def test_the_probe_runner_is_standard_library_only_and_self_contained():
    """It is copied into the sandbox and run by a bare Python: nothing of the grader, and no
    module name a student's file could shadow (everything inside its own package)."""
    files = sorted(RUNNER.glob('*.py'))
    assert files
    for path in files:
        tree = ast.parse(path.read_text(encoding='utf-8'))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split('.')[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split('.')[0]]
            else:
                continue
            assert all(r in sys.stdlib_module_names for r in roots), (path.name, ast.unparse(node))


def test_every_registered_check_has_its_judge_points_and_panel():
    from autograder.checks import judge_of
    from autograder.registry import CHECKS, GROUPS
    from autograder.report.views import PANELS
    from autograder.settings import load_settings
    settings = load_settings('eindopdracht-v2324.2')
    groups = {key for key, _ in GROUPS}
    for record in CHECKS:
        assert callable(judge_of(record)), record.id
        assert record.id in settings.points, record.id
        assert record.group in groups and record.panel in PANELS, record.id


TOY = '''
from autograder.results import Check


def judge(ctx) -> Check:
    """A toy check: the module defines a docstring."""
    has_doc = ctx.workspace.module.read_text().startswith('"""')
    return ctx.scored('static.toy-docstring', 1.0 if has_doc else 0.0,
                      'The module starts with a docstring.' if has_doc else 'The module has no docstring.')
'''


def test_a_toy_check_takes_one_module_one_record_and_its_points(tmp_path, monkeypatch):
    """docs/architecture.md's recipe: a module in checks/, a record, its points — and the check
    is judged, scored, placed in the results and shown in the report."""
    import shutil
    import types

    from autograder import registry
    from autograder.grade import GradeOptions, grade
    from autograder.report.render import render_student
    from autograder.settings import load_settings
    from helpers.hand_ins import hand_in_folder

    module = types.ModuleType('autograder.checks.toy_docstring')
    exec(TOY, module.__dict__)
    monkeypatch.setitem(sys.modules, 'autograder.checks.toy_docstring', module)
    for name in ('CHECKS', 'BY_ID', 'CHECK_IDS', 'STATIC_CHECKS', 'PART_A_CHECKS', 'PART_B_CHECKS'):
        monkeypatch.setattr(registry, name, getattr(registry, name))     # restored after the test
    registry.register(registry.CheckRecord('static.toy-docstring', 'The module has a docstring',
                                           registry.STATIC, 'handin', 'toy_docstring:judge'))
    folder = tmp_path / 'eindopdracht-v2324.2'
    shutil.copytree(ROOT / 'assignments' / 'eindopdracht-v2324.2', folder)
    toml = folder / 'assignment.toml'
    toml.write_text(toml.read_text().replace('[points]\n', '[points]\n"static.toy-docstring" = 1\n').replace(
        '\n[grading]', '\n[rubric."static.toy-docstring"]\nrequired = true\nsource = "the course\'s style guide"\n'
                      'quote = "Every module starts with a docstring."\n\n[grading]'))
    settings = load_settings(folder)
    assert settings.points['static.toy-docstring'] == 1
    assert settings.rubric['static.toy-docstring']['whole'].quote == 'Every module starts with a docstring.'
    hand_in = hand_in_folder(settings, tmp_path / 'hand-in')
    document = grade(hand_in, settings, tmp_path / 'out', GradeOptions(mode='check', progress=False))
    ids = [c['id'] for c in document['checks']]
    assert ids.index('static.toy-docstring') == ids.index('static.locked-cells') + 1
    toy = next(c for c in document['checks'] if c['id'] == 'static.toy-docstring')
    assert toy['status'] == 'pass' and toy['points'] == 1 and toy['title'] == 'The module has a docstring'
    assert document['score']['max_points'] == 100 + 1 - sum(settings.points[i] for i in registry.PART_B_CHECKS)
    assert 'The module has a docstring' in render_student(document)
