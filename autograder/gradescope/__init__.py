"""Gradescope: an autograder bundle that runs this grader inside Gradescope (export.py) and
what runs there (run_autograder.py). The results.json it reads is results/gradescope_json.py."""
