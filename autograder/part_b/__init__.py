"""Part B: the student's own model on the assignment's data set (its images and classes: part_b in the settings), measured by the grader."""
