#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as a person at a terminal would, answering each
"Enter passphrase for key" prompt with the passphrase given. Prints everything the command
wrote, then a last line "PTY-EXIT <status> PROMPTS <count>". Gives up after 180 s.

Usage: answer-prompts.py PASSPHRASE COMMAND [ARG...]
"""
import os
import pty
import select
import sys
import time

PROMPT = b"Enter passphrase for key"


def main():
    passphrase, command = sys.argv[1].encode(), sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    output, prompts, answered_upto = b"", 0, 0
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        at = output.find(PROMPT, answered_upto)
        if at >= 0 and output.rstrip().endswith(b":"):
            prompts += 1
            answered_upto = at + len(PROMPT)
            os.write(fd, passphrase + b"\n")
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(output.decode("utf-8", "replace"))
    sys.stdout.write("\nPTY-EXIT %d PROMPTS %d\n" % (os.waitstatus_to_exitcode(status), prompts))


main()
