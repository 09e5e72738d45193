"""How the runner is started: by a bare Python with -I (no environment, no user site, no
script folder on the path), from the folder this package was copied to."""
__all__ = ['BOOT', 'command']

BOOT = 'import sys; sys.path.insert(0, sys.argv.pop(1)); from vlgrader_probe.main import main; main()'


def command(python, folder, *args):
    """The command line that runs `vlgrader_probe.main` from `folder` (holding this package)."""
    return [str(python), '-I', '-c', BOOT, str(folder), *map(str, args)]
