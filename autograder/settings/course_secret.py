"""The course secret: what makes the hidden probe points and the hidden test groups hidden.

Everything in the repository and in the student kit is public: the settings' seeds, the
stand-in data, the grader's code. A seed there chooses nothing a student could not choose
too. So every hidden choice is derived from HMAC-SHA256(secret, "<assignment id>/<purpose>")
(`derive_seed`), with a secret that lives only with the instructor: `autograder secret init`
writes 32 random bytes to `$XDG_CONFIG_HOME/autograder/secret` (mode 0600). The same secret
gives the same choices at every regrade; another secret, other choices.

The demo and the tests use TEST_SECRET, which is public (it is here): grading with it hides
nothing, and the results document says so (`describe()`).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from .reader import SettingsError

__all__ = ['CourseSecret', 'TEST_SECRET', 'ENV_FILE', 'ENV_TEST', 'default_path', 'init_secret',
           'read_secret', 'find_secret', 'require_secret', 'derive_seed', 'public_test_secret']

# Public on purpose: the demo and the tests grade with it. Never a course's real secret.
TEST_SECRET = b'vlearning-autograder PUBLIC TEST SECRET: hides nothing; for the demo and the tests only'
ENV_FILE = 'AUTOGRADER_SECRET_FILE'       # a path to the secret file
ENV_TEST = 'AUTOGRADER_TEST_SECRET'       # "1": grade with the public test secret (demo, CI)
MIN_BYTES = 16


@dataclass(frozen=True)
class CourseSecret:
    key: bytes = TEST_SECRET
    source: str = 'test'            # 'test', or the file it was read from

    @property
    def is_test(self) -> bool:
        return self.key == TEST_SECRET

    @property
    def fingerprint(self) -> str:
        """A short name of the secret that reveals nothing of it: two gradings with the same
        fingerprint asked the same hidden questions."""
        return hmac.new(self.key, b'fingerprint', hashlib.sha256).hexdigest()[:12]

    def describe(self) -> dict[str, object]:
        return {'fingerprint': self.fingerprint, 'test_secret': self.is_test,
                'source': 'the public test secret' if self.is_test else self.source}


def public_test_secret() -> CourseSecret:
    return CourseSecret()


def derive_seed(secret: CourseSecret, assignment_id: str, purpose: str) -> int:
    """A 64-bit seed for one hidden choice of one assignment."""
    mac = hmac.new(secret.key, f'{assignment_id}/{purpose}'.encode(), hashlib.sha256).digest()
    return int.from_bytes(mac[:8], 'big')


def default_path() -> Path:
    base = os.getenv('XDG_CONFIG_HOME') or Path.home() / '.config'
    return Path(base) / 'autograder' / 'secret'


def init_secret(path: Path | None = None, *, force: bool = False) -> Path:
    """Write a new random secret (hex) to `path`, readable by its owner only. Refuses to
    replace an existing one unless `force`: a new secret changes every hidden choice."""
    path = Path(path or default_path())
    if path.exists() and not force:
        raise SettingsError(f'{path} exists: a new secret would change the hidden points and groups of every '
                            f'regrade; pass --force to replace it')
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + '.partial')
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as handle:
        handle.write(secrets.token_hex(32) + '\n')
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


def read_secret(path: Path) -> CourseSecret:
    path = Path(path)
    try:
        text = path.read_text(encoding='utf-8').strip()
    except OSError as error:
        raise SettingsError(f'the course secret {path} cannot be read: {error.strerror or error}') from None
    if len(text.encode()) < MIN_BYTES:
        raise SettingsError(f'the course secret {path} is too short (at least {MIN_BYTES} characters): '
                            f'run `autograder secret init --force` to make a new one')
    return CourseSecret(text.encode(), str(path))


def find_secret(secret_file: Path | str | None = None, *, test: bool = False) -> CourseSecret | None:
    """The secret to grade with: `secret_file`, else ${ENV_FILE}, else the default path; the
    test secret when asked for (`test`, or ${ENV_TEST}=1); None when there is none."""
    if secret_file:
        return read_secret(Path(secret_file))
    if test or os.environ.get(ENV_TEST) == '1':
        return public_test_secret()
    if os.environ.get(ENV_FILE):
        return read_secret(Path(os.environ[ENV_FILE]))
    if default_path().is_file():
        return read_secret(default_path())
    return None


MISSING = ('no course secret: the hidden probe points and hidden test groups are derived from a secret that '
           'only the instructor has. Run `autograder secret init` once (it writes {path}), or pass '
           '--secret-file FILE (or set ${env}); for a demo, --test-secret grades with the public test secret, '
           'which hides nothing.')


def require_secret(secret_file: Path | str | None = None, *, test: bool = False) -> CourseSecret:
    """find_secret, or a clear error telling the instructor what to do."""
    found = find_secret(secret_file, test=test)
    if found is None:
        raise SettingsError(MISSING.format(path=default_path(), env=ENV_FILE))
    return found
