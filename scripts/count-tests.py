#!/usr/bin/env python3
"""Counts test cases in meson test logs (meson-logs/testlog.json): a TAP program by its
'ok'/'not ok' lines (cases its plan announced but never reported count as failed), any
other test as one case by its result. Prints 'N passed, N failed' as the last line; exits 1
when any failed or none ran."""
import json
import re
import sys

passed = failed = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"count-tests: {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        if not line.strip():
            continue
        t = json.loads(line)
        result = t.get("result", "")
        good = result in ("OK", "EXPECTEDFAIL")
        out = t.get("stdout") or ""
        plan = re.search(r"^1\.\.(\d+)", out, re.M)
        if plan:
            ok = len(re.findall(r"^ok \d+", out, re.M))
            not_ok = len(re.findall(r"^not ok \d+", out, re.M))
            missing = max(0, int(plan.group(1)) - ok - not_ok)
            bad = not_ok + missing
            if not good and bad == 0:
                bad = 1  # crashed or leaked after its last case
            passed += ok
            failed += bad
        elif good:
            passed += 1
        elif result == "SKIP":
            pass
        else:
            failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
