"""The probe runner: runs inside the student's (sandboxed) process tree, standard library only.

Copied as this folder into the sandbox and started there as
    python -I -c "<boot>" CHANNEL_FD < request.json      (collect.py builds the command)

Two roles. The *parent* (parent.py) never imports student code: it holds the grader's
result channel and a per-run token, makes itself non-dumpable, and starts a *worker*
(worker.py) that imports the student's module and runs the tasks (tasks.py), reporting raw
values over its own pipe. The parent validates every line, forwards genuine results with
the token, and when a worker crashes or hangs it records that for the task at hand and
starts a fresh worker for the rest, so one segfault or os._exit does not lose the other
probes. Every judgement is made by the grader; student code's prints are captured per task.

Its modules live inside this package, so no file of a student's can shadow them.
"""
