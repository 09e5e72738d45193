"""Kernel launcher for student notebooks: ipykernel, minus the grader's own packages.

Run by path (`python launch.py -f CONNECTION_FILE`), not imported from the autograder, so
it works where the autograder is not installed (the sandbox's runtime). Outside the
sandbox the grader's environment is visible; dropping its editable-install finders makes
`import vlearning` find the student's package (or nothing), never the reference.
"""
import sys

sys.meta_path[:] = [f for f in sys.meta_path if '__editable__' not in getattr(type(f), '__module__', '')]
if sys.path and sys.path[0] != '':
    sys.path.insert(0, '')

from ipykernel import kernelapp  # noqa: E402

kernelapp.launch_new_instance()
