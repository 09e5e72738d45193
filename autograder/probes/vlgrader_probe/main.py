"""Entry point: `main()` as the parent (CHANNEL_FD), or with `--worker` as the worker."""
import json
import os
import sys

from .parent import Parent
from .portable import open_argument
from .worker import worker

__all__ = ['main']


def main():
    if sys.argv[1:2] == ['--worker']:
        worker()
        return
    channel_fd = open_argument(sys.argv[1], os.O_WRONLY)
    request = json.loads(sys.stdin.read())
    channel = os.fdopen(channel_fd, 'w', encoding='utf-8')
    os.chdir(request['workspace'])
    Parent(request, channel).run()
