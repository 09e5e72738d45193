"""The hostile-submission corpus: generated submissions that attack the grader (corpus.py)."""
