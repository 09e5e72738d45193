"""Batch grading at class scale: `autograder batch INPUT --out DIR` (see docs/batch.md).

  inbox        INPUT (a folder, or a Blackboard bulk download) → attempts
  gradebook    the SQLite gradebook: one row per student and attempt, committed atomically
  grading_job  one grading in a process of its own (`python -m autograder.batch.grading_job`)
  local_pool   N gradings at a time on this machine
  dask_pool    the same gradings on a Dask distributed cluster (`--scheduler`)
  exports      grades.csv, the Blackboard Grade Center upload, the summary
  similarity   winnowing fingerprints of the modules; similarity_report renders it
  orchestrate  the batch itself: run_batch(source, out, BatchOptions(...))
(`autograder export-gradescope` lives in autograder/gradescope/.)
"""
from .orchestrate import BatchError, BatchOptions, run_batch

__all__ = ['BatchError', 'BatchOptions', 'run_batch']
