"""An assignment's settings: `assignments/<id>/assignment.toml`, validated on load.

Everything the grader does for an assignment is read from here (files, tables, probe
points, Part B requirements, points, profiles), so that next year's instructor edits one
file instead of code. Validation errors name the file and the field
(e.g. `part_b.profiles.quick.data_groups`), say what was expected and what was found.
The checks themselves are declared in autograder/registry.py; the settings give their points.
"""
from .load import DEFAULT_ASSIGNMENT, NOTEBOOK_METADATA_KEY, assignments_dir, find_assignment, load_settings
from .schema import FunctionTable, Grading, PartB, Profile, RandomPoints, Settings
from .reader import SettingsError

__all__ = ['SettingsError', 'Settings', 'Profile', 'PartB', 'Grading', 'FunctionTable', 'RandomPoints',
           'load_settings', 'assignments_dir', 'find_assignment', 'DEFAULT_ASSIGNMENT', 'NOTEBOOK_METADATA_KEY']
