"""Command line: `autograder <command>`; `autograder <command> --help` for its options.

  grade     grade one submission (zip, folder, model.py or notebook) into an output folder
  batch     grade a class: a folder of submissions or a Blackboard bulk download, in parallel,
            into a resumable gradebook with exports (docs/batch.md)
  export-gradescope  build a Gradescope autograder bundle that runs this grader
  check     for students: static checks and probes of the work in a folder, in seconds
  examples  build the example hand-ins (the reference and deliberately flawed ones)
  expected  regenerate an assignment's expected values from the reference
  student-kit  build the self-check students install: one wheel without the answer key
  template  build what students receive: notebook without solutions, model.py skeleton, README
  new-assignment  start next term's edition from an existing one (docs/new-edition.md)
  calibrate measure this machine's speed for the normalisation of Part B times
  secret    the course secret the hidden points and hidden test groups derive from (`secret init`)
  demo      the main job on the embedded default: build the examples, grade the reference
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from . import __version__, kit
from .i18n import ENVIRONMENT, LANGUAGES
from .settings import DEFAULT_ASSIGNMENT, SettingsError, assignments_dir, load_settings



def _settings(args):
    return load_settings(args.assignment or DEFAULT_ASSIGNMENT)


def _edition(args, source: Path):
    """The settings `check` and `grade` grade with: --assignment, else the hand-in's own edition
    (notebook.edition.edition_of), said on stderr so that nobody is graded against the wrong one."""
    if args.assignment:
        return load_settings(args.assignment)
    from .i18n import _, language, resolve
    from .notebook.edition import edition_of
    edition = edition_of(source)
    settings = edition.settings
    with language(resolve(args.lang, settings)):
        print(_('Edition {id} ({title}): {reason}.').format(id=settings.id, title=settings.title,
                                                             reason=edition.reason), file=sys.stderr)
    return settings


def _data_file(args) -> Path | None:
    return Path(args.data).resolve() if getattr(args, 'data', None) else None


def _hidden_data(args) -> Path | None:
    return Path(args.hidden_data).resolve() if getattr(args, 'hidden_data', None) else None


def _secret(args, *, required: bool = True):
    """The course secret of `--secret-file`/`--test-secret`/$AUTOGRADER_SECRET_FILE/the config;
    grading without one is an error (`required`), a student's check uses the test secret."""
    from .settings.course_secret import find_secret, require_secret, public_test_secret
    if required:
        secret = require_secret(args.secret_file, test=args.test_secret)
        if secret.is_test:
            print('autograder: WARNING: grading with the public TEST secret: the hidden probe points and hidden '
                  'test groups are known to anyone with the repository. Run `autograder secret init` for real '
                  'grading.', file=sys.stderr)
        return secret
    return find_secret(args.secret_file, test=args.test_secret) or public_test_secret()


def _isolation(args):
    from .sandbox.isolation import isolation_for_grading
    quiet = getattr(args, 'no_sandbox', False)     # asked for: no need to warn
    return isolation_for_grading(sandbox=False if quiet else None,
                                 warn=None if quiet else (lambda text: print(text, file=sys.stderr)))


def _grade(source: Path, settings, out: Path, options, *, reports: bool = True, summary: bool = True,
           part: str | None = None) -> dict:
    """Grade, write the HTML reports next to the results, print the summary and where it all is."""
    from .grade import grade
    from .i18n import _, language
    from .report.summary import render_summary
    document = grade(source, settings, out, options)
    written = {}
    if reports:
        from .report import write_reports
        written = write_reports(document, out)
    if summary:
        print(render_summary(document, colour=sys.stdout.isatty(), part=part))
        if reports:
            with language(document.get('language')):
                print('\n' + _('Results: {results}\nReport:  {report}').format(results=out / 'grading.json',
                                                                              report=written['student']))
    return document


def cmd_grade(args) -> int:
    from .grade import GradeOptions
    _grade(Path(args.submission), _edition(args, Path(args.submission)), Path(args.out),
           GradeOptions(profile=args.profile, data_file=_data_file(args), progress=not args.quiet,
                        isolation=_isolation(args), language=args.lang, secret=_secret(args),
                        hidden_data=_hidden_data(args)), summary=not args.quiet)
    return 0


def cmd_batch(args) -> int:
    from .batch.orchestrate import BatchError, BatchOptions, print_summary, run_batch
    from .batch.inbox import InboxError
    security = None
    if args.tls_ca_file or args.tls_cert or args.tls_key:
        if not (args.tls_ca_file and args.tls_cert and args.tls_key):
            print('autograder batch: --tls-ca-file, --tls-cert and --tls-key go together', file=sys.stderr)
            return 2
        from distributed.security import Security
        security = Security(tls_ca_file=args.tls_ca_file, tls_client_cert=args.tls_cert,
                            tls_client_key=args.tls_key, require_encryption=True)
    options = BatchOptions(assignment=args.assignment or DEFAULT_ASSIGNMENT, profile=args.profile, jobs=args.jobs, attempts=args.attempts,
                           regrade=args.regrade or args.force, data_file=_data_file(args), sandbox=not args.no_sandbox,
                           timeout=args.timeout, scheduler=args.scheduler, security=security,
                           progress=not args.quiet, similarity=not args.no_similarity,
                           blackboard_column=args.blackboard_column, language=args.lang,
                           blackboard_practice=args.blackboard_practice, student=args.student, secret=_secret(args),
                           hidden_data=_hidden_data(args))
    _isolation(args)              # warns once here when student code would run unsandboxed
    try:
        summary = run_batch(Path(args.input), Path(args.out), options,
                            log=(lambda text: None) if args.quiet else None)
    except (BatchError, InboxError) as error:
        print(f'autograder batch: {error}', file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print('autograder batch: interrupted; every result reported so far is in the gradebook: '
              'run the same command again to resume', file=sys.stderr)
        return 130
    if not args.quiet:
        print_summary(summary)
    return 1 if summary['status'].get('failed') else 0


def cmd_export_gradescope(args) -> int:
    from .gradescope.export import build_bundle
    secret = _secret(args)
    path = build_bundle(_settings(args), Path(args.out), profile=args.profile, data_file=_data_file(args),
                        secret=None if secret.is_test else secret.key, hidden_data=_hidden_data(args))
    print(path)
    return 0


# `autograder check` exits with one of these (docs/student-kit.md); 2 is a usage or settings error.
EXIT_PASSED, EXIT_FAILED, EXIT_NOTHING = 0, 1, 3


def _check_target(words: list[str]) -> tuple[str | None, str]:
    """`check [PART] [FOLDER]`: a word naming a part of the assignment (and no folder) is the part."""
    from . import registry
    part, folder = None, '.'
    for word in words:
        if word in registry.parts() and not Path(word).is_dir() and part is None:
            part = word
        elif folder == '.':
            folder = word
        else:
            raise ValueError(f'one folder and one part at most, got {" ".join(words)} '
                             f'(parts: {", ".join(registry.parts())})')
    return part, folder


def exit_status(document: dict) -> int:
    """0 when every check that ran passed, 1 when one did not, 3 when there was nothing to check."""
    submission = document.get('submission', {})
    if submission.get('rejected') or not submission.get('module_kind'):
        return EXIT_NOTHING
    ran = [c for c in document['checks'] if c['status'] != 'skipped']
    return EXIT_PASSED if all(c['status'] == 'pass' for c in ran) else EXIT_FAILED


def cmd_check(args) -> int:
    from .grade import GradeOptions
    try:
        part, folder = _check_target(args.target)
    except ValueError as error:
        print(f'autograder check: {error}', file=sys.stderr)
        return 2
    if args.full and (part or kit.INSTALLED):
        print('autograder check: --full runs the whole notebook with the grader, which '
              + ('the student kit does not include: run the notebook in Jupyter yourself' if kit.INSTALLED
                 else 'checks every part'), file=sys.stderr)
        return 2
    options = GradeOptions(profile=args.profile, mode='grade' if args.full else 'check', data_file=_data_file(args),
                           progress=args.full, keep_workspace=bool(args.out), isolation=_isolation(args),
                           language=args.lang, part=part, secret=_secret(args, required=False),
                           hidden_data=_hidden_data(args))
    folder = Path(folder).resolve()
    settings = _edition(args, folder)
    if args.out:
        document = _grade(folder, settings, Path(args.out), options, part=part)
    else:                         # nothing left behind: the summary is the answer
        with tempfile.TemporaryDirectory(prefix='autograder-check-') as out:
            document = _grade(folder, settings, Path(out), options, reports=False, part=part)
    if args.results:              # the in-notebook check reads this; no HTML report is rendered for it
        from .results import write_json_atomic
        write_json_atomic(Path(args.results), document)
    return exit_status(document)


def cmd_examples(args) -> int:
    from .authoring.examples.build import build_examples
    settings = _settings(args)
    for path in build_examples(settings, Path(args.out), args.only or None):
        print(path)
    return 0


def cmd_expected(args) -> int:
    from .authoring.expected import write
    print(write(_settings(args)))
    return 0


def cmd_student_kit(args) -> int:
    from .authoring.student_kit import build_kit
    print(build_kit(_settings(args), Path(args.out)))
    return 0


def cmd_template(args) -> int:
    from .authoring.template import build_template
    for path in build_template(_settings(args), Path(args.out)):
        print(path)
    return 0


def cmd_new_assignment(args) -> int:
    from .authoring.new_edition import new_assignment
    folder = new_assignment(args.source, args.id, title=args.title, root=Path(args.root) if args.root else None)
    print(f'{folder}\nNext: edit {folder / "assignment.toml"} and {folder / "master.ipynb"}; '
          f'docs/new-edition.md says what to regenerate and check.')
    return 0


def cmd_calibrate(args) -> int:
    import json
    from .part_b.calibration import seconds_per_1000
    print(json.dumps(seconds_per_1000(refresh=True), indent=1))
    return 0


def cmd_secret(args) -> int:
    from .settings.course_secret import default_path, init_secret, read_secret
    path = Path(args.file) if args.file else default_path()
    if args.action == 'init':
        init_secret(path, force=args.force)
        print(f'{path}\nThe course secret (mode 0600). Keep it out of the repository and the student kit, back it '
              f'up: regrades need the same secret to ask the same hidden questions.')
    else:
        print(f'{path}: fingerprint {read_secret(path).fingerprint}')
    return 0


def cmd_demo(args) -> int:
    from .authoring.examples.build import build_examples
    from .grade import GradeOptions
    settings = load_settings(DEFAULT_ASSIGNMENT)
    out = Path(args.out)
    [example] = build_examples(settings, out / 'examples', ['reference'])
    print(f'Example hand-in (the reference solution): {example}')
    print('Grading it with the quick profile on the embedded stand-in data, with the public test secret ...')
    from .settings.course_secret import public_test_secret
    _grade(example, settings, out / 'reference', GradeOptions(profile='quick', isolation=_isolation(args),
                                                              language=args.lang, secret=public_test_secret()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    description = ('The self-check of the student kit (docs/student-kit.md): `autograder check --help`.'
                   if kit.INSTALLED else __doc__)
    parser = argparse.ArgumentParser(prog='autograder', description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--version', action='version', version=f'%(prog)s {__version__}')
    commands = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')

    def add(name, function, help_text):
        if kit.INSTALLED and name != 'check':     # the student kit: the instructor's commands are not in it
            return argparse.ArgumentParser(add_help=False)
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=function)
        return sub

    def assignment_option(sub, from_hand_in=False):
        known = ', '.join(sorted(p.parent.name for p in assignments_dir().glob('*/assignment.toml')))
        default = ("the hand-in's edition: the one its notebook names (the template's metadata) or whose "
                   f'notebook file name it has; else {DEFAULT_ASSIGNMENT}') if from_hand_in else DEFAULT_ASSIGNMENT
        sub.add_argument('--assignment', default=None,
                         help=f'assignment id or settings folder (default: {default}; known: {known})')

    def grading_options(sub, profile='full'):
        sub.add_argument('--profile', choices=['quick', 'full'], default=profile,
                         help=f"Part B as the assignment requires (full) or scaled down for practice (quick); "
                              f"default: {profile}")
        sub.add_argument('--data', metavar='FILE',
                         help="the course's data file (the assignment's part_b.data_file); default: its embedded stand-in")
        sub.add_argument('--hidden-data', metavar='FILE',
                         help='a data file students never had (same layout): the hidden test groups come from it; '
                              'without it they are withheld from --data, which students have')
        sub.add_argument('--secret-file', metavar='FILE',
                         help='the course secret (default: $AUTOGRADER_SECRET_FILE, else the file `autograder secret '
                              'init` wrote)')
        sub.add_argument('--test-secret', action='store_true',
                         help='grade with the public test secret (demo, CI): hides nothing')
        sub.add_argument('--no-sandbox', action='store_true',
                         help='run student code without the bubblewrap sandbox (trusted code only)')
        language_option(sub)

    def language_option(sub):
        sub.add_argument('--lang', choices=LANGUAGES, metavar='{' + ','.join(LANGUAGES) + '}',
                         help=f"the language of the messages and reports (default: ${ENVIRONMENT}, else the "
                              "assignment's assignment.language)")

    grade_cmd = add('grade', cmd_grade, 'grade one submission')
    grade_cmd.add_argument('submission', help='a zip, a folder, a model.py or a notebook')
    assignment_option(grade_cmd, from_hand_in=True)
    grading_options(grade_cmd)
    grade_cmd.add_argument('--out', required=True, help='output folder (grading.json, results.json, reports)')
    grade_cmd.add_argument('--quiet', action='store_true', help='no progress and no summary')

    batch_cmd = add('batch', cmd_batch, 'grade a class: a folder of submissions or a Blackboard bulk download')
    batch_cmd.add_argument('input', help='a folder (one sub-folder, zip or file per student) or a Blackboard '
                                         'bulk-download zip (or its unpacked folder)')
    assignment_option(batch_cmd)
    grading_options(batch_cmd)
    batch_cmd.add_argument('--out', required=True, help='output folder: gradebook.sqlite, exports, one folder per '
                                                        'submission; the same --out resumes')
    batch_cmd.add_argument('--jobs', type=int, default=os.cpu_count() or 1,
                           help='submissions graded at the same time on this machine (default: the CPU count)')
    batch_cmd.add_argument('--attempts', choices=['latest', 'first', 'all'], default='latest',
                           help='with several Blackboard attempts per student: which to grade (default: latest)')
    batch_cmd.add_argument('--regrade', action='store_true', help='grade everything again, even unchanged attempts')
    batch_cmd.add_argument('--student', metavar='NAME',
                           help="grade only this student's attempts (per --attempts); the others' rows stay as they are")
    batch_cmd.add_argument('--force', action='store_true',
                           help='grade again even when unchanged (with --student: regrade that student; the earlier '
                                "runs stay in the gradebook's history)")
    batch_cmd.add_argument('--timeout', type=float, metavar='SECONDS',
                           help="per submission (default: the profile's notebook timeout + 12 minutes)")
    batch_cmd.add_argument('--scheduler', metavar='ADDRESS',
                           help='grade on this Dask distributed scheduler (tcp://host:8786 or tls://...)')
    batch_cmd.add_argument('--tls-ca-file', metavar='PEM', help='with a tls:// scheduler: the CA certificate')
    batch_cmd.add_argument('--tls-cert', metavar='PEM', help="with a tls:// scheduler: this client's certificate")
    batch_cmd.add_argument('--tls-key', metavar='PEM', help="with a tls:// scheduler: this client's private key")
    batch_cmd.add_argument('--blackboard-column', metavar='HEADER',
                           help="the upload file's grade column: an existing column's header from a Grade Center "
                                "download, ending in '|<column id>', or a new column's name")
    batch_cmd.add_argument('--blackboard-practice', action='store_true',
                           help='write the Blackboard upload file even for grades of the practice profile (quick); '
                                "without it such a gradebook is not exported: its grades are not the assignment's")
    batch_cmd.add_argument('--no-similarity', action='store_true', help='skip the similarity report')
    batch_cmd.add_argument('--quiet', action='store_true', help='no progress bar and no summary')

    gradescope_cmd = add('export-gradescope', cmd_export_gradescope,
                         'build a Gradescope autograder bundle (setup.sh, run_autograder) that runs this grader')
    assignment_option(gradescope_cmd)
    gradescope_cmd.add_argument('--profile', choices=['quick', 'full'], default='quick',
                                help='the profile Gradescope grades with (default: quick)')
    gradescope_cmd.add_argument('--data', metavar='FILE',
                                help="the course's data file, put into the bundle (default: the embedded stand-in)")
    gradescope_cmd.add_argument('--hidden-data', metavar='FILE',
                                help='a data file students never had, put into the bundle: the hidden test groups')
    gradescope_cmd.add_argument('--secret-file', metavar='FILE',
                                help='the course secret put into the bundle (default: the one `autograder secret init` '
                                     'wrote)')
    gradescope_cmd.add_argument('--test-secret', action='store_true',
                                help='a bundle that grades with the public test secret (hides nothing)')
    gradescope_cmd.add_argument('--out', required=True, help='the bundle to write, e.g. autograder.zip')

    check_cmd = add('check', cmd_check, 'check your own work before handing in (static checks and probes); '
                                        'exit status 0: every check that ran passed, 1: one did not, '
                                        '3: nothing to check (no module), 2: a usage error')
    check_cmd.add_argument('target', nargs='*', metavar='[PART] [FOLDER]',
                           help='a part of the assignment to check on its own (activations, losses, neurons, layers) '
                                'and/or the folder with your model.py and notebook (default: this folder)')
    assignment_option(check_cmd, from_hand_in=True)
    grading_options(check_cmd, 'quick')
    check_cmd.add_argument('--full', action='store_true', help='also run the notebook and grade Part B')
    check_cmd.add_argument('--out', help='keep the results and reports in this folder')
    check_cmd.add_argument('--results', metavar='FILE', help=argparse.SUPPRESS)   # the results JSON only

    examples_cmd = add('examples', cmd_examples, 'build the example hand-ins')
    assignment_option(examples_cmd)
    examples_cmd.add_argument('--out', required=True, help='folder for reference.zip and flawed-*.zip')
    examples_cmd.add_argument('--only', nargs='*', help='build only these examples')

    expected_cmd = add('expected', cmd_expected, "regenerate an assignment's expected values")
    assignment_option(expected_cmd)

    template_cmd = add('template', cmd_template, 'build the student template (notebook, model.py skeleton, README)')
    assignment_option(template_cmd)
    template_cmd.add_argument('--out', required=True, help='folder for the template, e.g. student_template/ID')

    kit_cmd = add('student-kit', cmd_student_kit,
                  "build the students' self-check as one wheel, without the answer key (docs/student-kit.md)")
    assignment_option(kit_cmd)
    kit_cmd.add_argument('--out', required=True, help='folder for the wheel')

    new_cmd = add('new-assignment', cmd_new_assignment,
                  "start a new edition from an existing one (docs/new-edition.md)")
    new_cmd.add_argument('--from', dest='source', required=True, help='the assignment to copy (an id or a folder)')
    new_cmd.add_argument('--id', required=True, help='the new assignment id (also its folder name)')
    new_cmd.add_argument('--title', help="the new edition's title (default: the copied one)")
    new_cmd.add_argument('--root', help='the folder of assignments to create it in (default: assignments/)')

    add('calibrate', cmd_calibrate, "measure this machine's speed (cached for a day)")

    secret_cmd = add('secret', cmd_secret, 'the course secret: `init` writes a new one, `show` its fingerprint')
    secret_cmd.add_argument('action', choices=['init', 'show'])
    secret_cmd.add_argument('--file', help='where (default: $XDG_CONFIG_HOME/autograder/secret)')
    secret_cmd.add_argument('--force', action='store_true', help='init: replace an existing secret')

    demo_cmd = add('demo', cmd_demo, 'the main job on the embedded default')
    demo_cmd.add_argument('--out', default='demo-output', help='output folder (default: demo-output)')
    demo_cmd.add_argument('--no-sandbox', action='store_true', help=argparse.SUPPRESS)
    language_option(demo_cmd)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:       # `autograder check | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())     # so that the interpreter's final flush stays quiet too
        return 141                # 128 + SIGPIPE, as a shell reports a command killed by it
    except SettingsError as error:
        print(f'autograder: {error}', file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print('autograder: interrupted', file=sys.stderr)
        return 130


if __name__ == '__main__':
    sys.exit(main())
