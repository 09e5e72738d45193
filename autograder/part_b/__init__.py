"""Part B: the student's own model on the letters, measured by the grader."""
