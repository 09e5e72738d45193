"""One defect costs points once, in the check that names it (issue 20): a loss layer named
`OutputLayer`, a missing loss or activation function, layers without default names; a
correct module that stores `num_inputs`/`num_outputs` or spells `hard_elish` keeps every
point; and Part B judges only the student's own graded run, never the template's warm-up.

Graded with `check` (static checks and the probes) against the reference of the same
edition, point for point."""
import nbformat
import pytest

from autograder.authoring.bundle import model_source
from autograder.authoring.examples.mutations import find, apply
from autograder.authoring.template import student_notebook
from autograder.checks.context import Context
from autograder.checks.graded_work import has_code, untouched
from autograder.checks.locked_cells import match
from autograder.grade import GradeOptions, grade
from autograder.registry import PART_B_CHECKS
from autograder.settings import load_settings
from helpers.hand_ins import EDITIONS, hand_in_folder

@pytest.fixture(scope='module')
def graded(tmp_path_factory):
    """points per check (Part A and static) of a mutation of the reference, cached per name."""
    cache = {}

    def run(edition, name):
        if (edition, name) not in cache:
            settings = load_settings(edition)
            source = model_source() if name == 'reference' else apply(model_source(), find(name))
            folder = hand_in_folder(settings, tmp_path_factory.mktemp(name), source)
            document = grade(folder, settings, folder.parent / 'out', GradeOptions(mode='check', progress=False))
            cache[edition, name] = {c['id']: c for c in document['checks'] if c['id'] not in PART_B_CHECKS}
        return cache[edition, name]
    return run


def lost(graded, edition, name):
    reference = graded(edition, 'reference')
    return {i: round(reference[i]['points'] - c['points'], 4) for i, c in graded(edition, name).items()
            if c['points'] != reference[i]['points']}


@pytest.mark.slow       # each module graded with the probes in the sandbox
def _share(edition: str, criterion: str) -> float:
    """The points of layers.api that one required criterion carries in the edition's rubric."""
    from autograder.settings import load_settings
    settings = load_settings(edition)
    rubric = settings.rubric['layers.api']
    required = sum(c.weight for c in rubric.values() if c.required)
    return settings.points['layers.api'] * rubric[criterion].weight / required


@pytest.mark.parametrize('edition', EDITIONS)
@pytest.mark.parametrize('name', ['num-inputs-outputs', 'hard-elish'])
def test_a_correct_module_written_otherwise_keeps_every_point(graded, edition, name):
    assert lost(graded, edition, name) == {}
    assert all(c['status'] == 'pass' for c in graded(edition, name).values())


@pytest.mark.slow
@pytest.mark.parametrize('edition', EDITIONS)
def test_a_loss_layer_named_output_layer_loses_only_its_name(graded, edition):
    # 1 criterion of layers.api (its rubric weight of 4 points, scored to 2 decimals): the class under the course's name
    assert lost(graded, edition, 'output-layer') == {'layers.api': pytest.approx(_share(edition, 'class-LossLayer'),
                                                                                abs=0.005)}
    checks = graded(edition, 'output-layer')
    assert "the class is named 'OutputLayer' instead of 'LossLayer'" in checks['layers.api']['message']
    for check_id in ('layers.gradients', 'layers.updates', 'layers.training'):
        assert checks[check_id]['status'] == 'pass', checks[check_id]['message']


@pytest.mark.slow
def test_a_missing_loss_function_is_charged_once_in_its_table(graded):
    edition = 'eindopdracht-v2324.2'
    # one of the five losses of the table (5 points); nothing in the hidden points, the layers'
    # API, the gradients or the training, which use the course's formula in its place
    assert lost(graded, edition, 'no-categorical-crossentropy') == {'losses.table': pytest.approx(1.0)}
    checks = graded(edition, 'no-categorical-crossentropy')
    assert "has no function 'categorical_crossentropy'" in checks['losses.table']['message']
    assert 'Not judged here: categorical_crossentropy' in checks['losses.hidden']['message']
    assert checks['losses.hidden']['details']['missing'] == ['categorical_crossentropy']
    assert checks['layers.gradients']['details']['left_out'] == ['categorical_crossentropy']
    assert "course's formula for categorical_crossentropy" in checks['layers.training']['message']


@pytest.mark.slow
def test_a_missing_activation_is_charged_once_in_its_table(graded):
    edition = 'eindopdracht-v2324.2'
    # 1 of the 11 rows of the table (10 points): elish, hardelish are graded when present
    assert lost(graded, edition, 'no-softsign') == {'activations.table': pytest.approx(10 / 11, abs=0.005)}
    checks = graded(edition, 'no-softsign')
    assert checks['layers.gradients']['details']['left_out'] == ['softsign']
    assert 'gradient:ActivationLayer:softsign' not in {
        row['task'] for rows in checks['layers.gradients']['details']['layers'].values() for row in rows}


@pytest.mark.slow
def test_layers_without_default_names_lose_that_criterion_once(graded):
    edition = 'eindopdracht-v2324.2'
    assert lost(graded, edition, 'names-none') == {'layers.api': pytest.approx(_share(edition, 'default-names'),
                                                                              abs=0.005)}
    items = {i['key']: i['ok'] for i in graded(edition, 'names-none')['layers.api']['details']['items']}
    assert [k for k, ok in items.items() if not ok] == ['default names']


# --- Part B judges only the graded run --------------------------------------------------------
def context(settings, nb):
    master = nbformat.read(settings.master_path, as_version=4)
    ctx = Context(settings=settings, profile=settings.profile('quick'), notebook=nb)
    ctx.locked = match(nb, master, settings.locked_marker)
    return ctx


@pytest.mark.parametrize('edition', EDITIONS)
def test_the_templates_deel_b_is_not_a_graded_run(edition):
    settings = load_settings(edition)
    template = student_notebook(settings)
    message = untouched(context(settings, template))
    assert message.startswith('Deel B is not done: the 8 cells between the two locked cells hold no code')
    assert "what 'my_model' holds now is the warm-up's demo model" in message
    master = nbformat.read(settings.master_path, as_version=4)
    assert untouched(context(settings, master)) is None
    # one line of the student's own is a graded run (partb.time judges what it holds)
    start = context(settings, template).locked.graded_run[0]
    template.cells[start + 2].source += '\ntst_xs, tst_ys = [], []'
    assert untouched(context(settings, template)) is None


def test_only_comments_and_blank_lines_are_no_code():
    assert not has_code('# STAP 2: MODELDEFINITIE\n  # Schrijf hier je eigen code\n\n')
    assert has_code('# STAP 2\nmy_model = model.InputLayer(144)')
    assert has_code('%time pass')


def warm_up_report():
    """What the grader's cell reports after the template's Deel B: the warm-up's demo model."""
    return {'model_found': True, 'model_class': 'InputLayer',
            'layers': [{'class': 'InputLayer', 'name': 'InputLayer_1', 'activation': None},
                       {'class': 'ActivationLayer', 'name': 'ActivationLayer_1', 'activation': 'elish',
                        'activation_module': 'model'}],
            'history': {'loss': [3.1, 2.9, 2.8], 'val_loss': [3.0, 2.9, 2.85]},
            'predictions': [0] * 10}


@pytest.mark.parametrize('edition', EDITIONS)
def test_an_untouched_deel_b_earns_nothing_in_part_b_with_one_message(edition):
    from autograder.checks import partb_accuracy, partb_activation, partb_overfitting, partb_time
    from autograder.part_b.graded_run import PartBRun
    settings = load_settings(edition)
    ctx = context(settings, student_notebook(settings))
    ctx.part_b = PartBRun(execution={'cells': []}, report=warm_up_report(), labels=[0] * 10)
    checks = [module.judge(ctx) for module in (partb_activation, partb_time, partb_accuracy, partb_overfitting)]
    assert [c.id for c in checks] == ['partb.activation', 'partb.time', 'partb.accuracy', 'partb.overfitting']
    assert all(c.points == 0 and c.status == 'fail' for c in checks)
    assert len({c.message for c in checks}) == 1 and checks[0].message == untouched(ctx)
    # the same report after the student's own graded run (the master's) is judged on its merits
    ctx = context(settings, nbformat.read(settings.master_path, as_version=4))
    ctx.part_b = PartBRun(execution={'cells': []}, report=warm_up_report(), labels=[0] * 10)
    assert partb_overfitting.judge(ctx).points == settings.points['partb.overfitting']
    assert partb_accuracy.judge(ctx).points == settings.points['partb.accuracy']


@pytest.mark.parametrize('spelled', ['hard_elish', 'HardELiSH', 'hardelish'])
def test_part_b_finds_hardelish_under_any_spelling(spelled):
    from autograder.checks import partb_activation
    from autograder.part_b.graded_run import PartBRun
    settings = load_settings('eindopdracht-v2324.2')
    ctx = Context(settings=settings, profile=settings.profile('quick'))
    report = warm_up_report()
    report['layers'][1]['activation'] = spelled
    ctx.part_b = PartBRun(report=report)
    check = partb_activation.judge(ctx)
    assert check.points == settings.points['partb.activation'], check.message
    assert check.details['used'] == [spelled]
    report['layers'][1]['activation'] = 'hard_tanh'
    assert partb_activation.judge(ctx).points == 0
