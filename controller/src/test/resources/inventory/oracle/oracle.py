"""Runs many ansible-core invocations for the differential test with one Python start-up.

Importing ansible is most of the ~0.5 s an `ansible-inventory` call costs, so this imports it once
and forks a child per job: each child is a fresh copy of the process in which the real CLI code
runs, exactly as from the command line (Ansible's CLI keeps global state, hence fork, not a loop).

stdin: a JSON list of jobs, each
  {"cli": "ansible-inventory" | "ansible", "argv": [...]}   -> {"code": N, "out": "...", "err": "..."}
  {"patterns": {"sources": [...], "queries": [{"pattern": P, "limit": L|null}]}}
      -> {"code": 0, "out": JSON list of {"hosts": [...]} | {"error": "..."}}
     (what `ansible -i SOURCES P --limit L --list-hosts` would list: InventoryManager.subset(L) then
      list_hosts(P), the calls the ansible CLI makes; run with ANSIBLE_HOST_PATTERN_MISMATCH=error)
stdout: a JSON list of results, one per job.
"""
import json
import os
import sys
import tempfile

from ansible.cli.adhoc import AdHocCLI
from ansible.cli.inventory import InventoryCLI
from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader


def patterns(request):
    inventory = InventoryManager(loader=DataLoader(), sources=request["sources"])
    answers = []
    for query in request["queries"]:
        try:
            inventory.clear_caches()
            inventory.subset(query.get("limit"))
            names = [h if isinstance(h, str) else h.name for h in inventory.list_hosts(query["pattern"])]
            if not names:
                raise AnsibleError("Specified inventory, host pattern and/or --limit leaves us with no hosts to target.")
            answers.append({"hosts": names})
        except AnsibleError as e:
            answers.append({"error": str(e)})
    sys.stdout.write(json.dumps(answers))


def child(job):
    if "patterns" in job:
        patterns(job["patterns"])
        return 0
    cli = InventoryCLI if job["cli"] == "ansible-inventory" else AdHocCLI
    try:
        cli.cli_executor([job["cli"]] + job["argv"])
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 1
    return 0


def run(job):
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.stdout = os.fdopen(1, "w", closefd=False)
            sys.stderr = os.fdopen(2, "w", closefd=False)
            code = 1
            try:
                code = child(job)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return {"code": os.waitstatus_to_exitcode(status), "out": out.read().decode("utf-8", "replace"),
                "err": err.read().decode("utf-8", "replace")}


jobs = json.load(sys.stdin)
results = [run(job) for job in jobs]
sys.__stdout__.write(json.dumps(results))
