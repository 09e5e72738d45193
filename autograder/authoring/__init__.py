"""What an instructor generates for an assignment from the reference and the master notebook:
expected values, the student template, the bundled reference module, the example hand-ins."""
