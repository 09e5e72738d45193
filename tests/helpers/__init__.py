"""Builders the tests share: zips, hand-in folders, cheap assignments, HTML reading."""
