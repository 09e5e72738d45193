"""Typed reading of one TOML table, remembering where it is, so that every error names the
file and the field (`part_b.profiles.quick.data_groups`), what was expected and what was found."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

__all__ = ['SettingsError', 'Reader', 'positive', 'fraction']


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the file and the field."""



class Reader:
    """Typed access to one TOML table that remembers where it is, for error messages."""

    def __init__(self, data: dict, path: str, file: Path):
        self.data, self.path, self.file = data, path, file
        self.used: set[str] = set()

    def _name(self, key: str) -> str:
        return f'{self.path}.{key}' if self.path else key

    def fail(self, key: str, expected: str, found: Any = None) -> SettingsError:
        got = '' if found is None else f', found {found!r}'
        return SettingsError(f'{self.file}: {self._name(key)}: expected {expected}{got}')

    def get(self, key: str, kind: type | tuple, default: Any = ..., *, check=None, expected=None):
        self.used.add(key)
        if key not in self.data:
            if default is ...:
                raise SettingsError(f'{self.file}: {self._name(key)}: missing '
                                    f'(expected {expected or _kind_name(kind)})')
            return default
        value = self.data[key]
        ok = isinstance(value, kind) and not (kind in (int, (int, float)) and isinstance(value, bool))
        if ok and kind == (int, float):
            ok = math.isfinite(value)
        if not ok or (check is not None and not check(value)):
            raise self.fail(key, expected or _kind_name(kind), value)
        return value

    def number(self, key, default=..., *, check=None, expected=None) -> float:
        return float(self.get(key, (int, float), default, check=check, expected=expected))

    def strings(self, key, default=..., *, nonempty=True) -> list[str]:
        value = self.get(key, list, default, expected='a list of strings')
        if not all(isinstance(v, str) and v for v in value) or (nonempty and not value):
            raise self.fail(key, 'a non-empty list of non-empty strings', value)
        return list(value)

    def numbers(self, key, default=..., *, nonempty=False) -> list[float]:
        value = self.get(key, list, default, expected='a list of numbers')
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                   for v in value) or (nonempty and not value):
            raise self.fail(key, f'a {"non-empty " if nonempty else ""}list of finite numbers', value)
        return [float(v) for v in value]

    def table(self, key, default=...) -> 'Reader':
        value = self.get(key, dict, {} if default is not ... else ..., expected='a table')
        return Reader(value, self._name(key), self.file)

    def done(self) -> None:
        """Reject unknown keys: a typo in a field name must not pass silently."""
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            where = self.path or 'the top level'
            raise SettingsError(f'{self.file}: unknown field {self._name(unknown[0])!r} in '
                                f'{where} (known: {", ".join(sorted(self.used))})')


def _kind_name(kind) -> str:
    names = {str: 'a string', int: 'an integer', float: 'a number', bool: 'true or false',
             list: 'a list', dict: 'a table', (int, float): 'a number'}
    return names.get(kind, str(kind))


def positive(v) -> bool:
    return v > 0


def fraction(v) -> bool:
    return 0 <= v <= 1


