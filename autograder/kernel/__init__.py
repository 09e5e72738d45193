"""Starting the student's kernel."""
