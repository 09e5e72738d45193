"""Batch grading at class scale: `autograder batch INPUT --out DIR` (see docs/batch.md).

  inbox        INPUT (a folder, or a Blackboard bulk download) → attempts
  gradebook    the SQLite gradebook: one row per student and attempt, committed atomically
  worker       one grading in a process of its own (`python -m autograder.batch.worker`)
  runner       N gradings at a time on this machine
  dask_runner  the same gradings on a Dask distributed cluster (`--scheduler`)
  exports      grades.csv, the Blackboard Grade Center upload, the summary
  similarity   winnowing fingerprints of the modules; similarity_report renders it
  gradescope_bundle  `autograder export-gradescope`: the bundle that runs this grader on Gradescope
  run          the batch itself: run_batch(source, out, BatchOptions(...))
"""
from .run import BatchError, BatchOptions, run_batch

__all__ = ['BatchError', 'BatchOptions', 'run_batch']
