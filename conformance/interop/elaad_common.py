"""What the ElaadNL openadr3-client drivers share, whichever OpenADR 3 version they speak."""
import json
import sys
import traceback


def emit(step, **fields):
    print(json.dumps({"step": step, **fields}, default=str), flush=True)


def read_reports_and_delete(bl, event):
    """Business logic reads the event's reports, then deletes the event (the same calls in 3.0.1 and 3.1)."""
    reports = bl.reports.get_reports(pagination=None, program_id=None, event_id=event.id, client_name=None)
    emit("bl read reports", ids=[r.id for r in reports])
    deleted = bl.events.delete_event_by_id(event_id=event.id)
    emit("bl deleted event", id=deleted.id)


def run(main):
    try:
        main()
    except Exception:  # noqa: BLE001 - the harness wants the client's own words
        traceback.print_exc()
        sys.exit(1)
