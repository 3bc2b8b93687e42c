"""Output shared by the Python interop peers: one JSON object per line on stdout."""
import json
import sys
import threading

_out = threading.Lock()


def emit(**fields):
    # Peers such as c104 call back from their own threads: one write per line, under a lock, keeps lines whole.
    line = json.dumps(fields, default=str) + '\n'
    with _out:
        sys.stdout.write(line)
        sys.stdout.flush()
