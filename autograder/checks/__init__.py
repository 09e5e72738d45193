"""One module per check; each is named after what it checks."""
