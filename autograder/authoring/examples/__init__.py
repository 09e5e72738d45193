"""Example submissions: the reference and deliberately flawed variants, generated."""
