"""Drives a VTN's OpenADR 3.1 API with ElaadNL's openadr3-client (PyPI), as business logic and as a VEN.

Usage: elaad_openadr3.py BASE_URL CA_FILE BL_ID BL_SECRET VEN_ID VEN_SECRET CALLBACK_URL
Prints one JSON object per step on stdout ({"step": ..., ...}); exits non-zero on the first failure,
with the client's own error on stderr. The token URL is discovered through GET auth/server.
"""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openadr3_client._models.common.interval import Interval
from openadr3_client._models.common.interval_period import IntervalPeriod
from openadr3_client.bl.http_factory import BusinessLogicHttpClientFactory
from openadr3_client.oadr310.models.event.event import EventUpdate, NewEvent
from openadr3_client.oadr310.models.event.event_payload import EventPayload, EventPayloadType
from openadr3_client.oadr310.models.program.program import NewProgram
from openadr3_client.oadr310.models.report.report import NewReport, ReportResource
from openadr3_client.oadr310.models.report.report_payload import ReportPayload, ReportPayloadType
from openadr3_client.oadr310.models.subscriptions.subscription import NewSubscription, Object, ObjectOperation, Operation
from openadr3_client.oadr310.models.ven.ven import NewVenBlRequest
from openadr3_client.ven.http_factory import VirtualEndNodeHttpClientFactory
from openadr3_client.version import OADRVersion

from elaad_common import emit, read_reports_and_delete, run


def main():
    base, ca, bl_id, bl_secret, ven_id, ven_secret, callback = sys.argv[1:8]
    # HTTPS with the VTN's CA, as in production (oauthlib refuses a token URL on plain HTTP).
    bl = BusinessLogicHttpClientFactory.create_http_bl_client(
        vtn_base_url=base, client_id=bl_id, client_secret=bl_secret, verify_vtn_tls_certificate=Path(ca), version=OADRVersion.OADR_310,
    )
    ven = VirtualEndNodeHttpClientFactory.create_http_ven_client(
        vtn_base_url=base, client_id=ven_id, client_secret=ven_secret, verify_vtn_tls_certificate=Path(ca), version=OADRVersion.OADR_310,
    )

    enrolled = bl.vens.create_ven(new_ven=NewVenBlRequest(ven_name="elaad-ven", client_id=ven_id, targets=("elaad-group",)))
    emit("bl created ven", id=enrolled.id, targets=list(enrolled.targets or ()))

    program = bl.programs.create_program(new_program=NewProgram(program_name="elaad-program"))
    emit("bl created program", id=program.id, name=program.program_name)

    start = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0)
    event = bl.events.create_event(new_event=NewEvent(
        programID=program.id, event_name="elaad-event", targets=("elaad-group",),
        interval_period=IntervalPeriod(start=start, duration=timedelta(minutes=15)),
        intervals=(
            Interval(id=0, interval_period=None, payloads=(EventPayload(type=EventPayloadType.SIMPLE, values=(1,)),)),
            Interval(id=1, interval_period=None, payloads=(EventPayload(type=EventPayloadType.SIMPLE, values=(2,)),)),
        ),
    ))
    emit("bl created event", id=event.id, start=event.interval_period.start.isoformat())

    seen = ven.events.get_events(target=None, pagination=None, program_id=program.id)
    emit("ven read events", ids=[e.id for e in seen], values=[[p.values[0] for p in i.payloads] for e in seen for i in (e.intervals or ())])

    subscription = ven.subscriptions.create_subscription(new_subscription=NewSubscription(
        client_name="elaad-ven", programID=program.id,
        object_operations=(ObjectOperation(objects=(Object.EVENT,), operations=(Operation.POST, Operation.PUT, Operation.DELETE), callback_url=callback, bearer_token="elaad-callback-token"),),
    ))
    emit("ven created subscription", id=subscription.id)

    report = ven.reports.create_report(new_report=NewReport(
        eventID=event.id, client_name="elaad-ven", report_name="elaad-usage",
        resources=(ReportResource(
            resource_name="elaad-meter", interval_period=IntervalPeriod(start=start, duration=timedelta(minutes=15)),
            intervals=(Interval(id=0, interval_period=None, payloads=(ReportPayload(type=ReportPayloadType.USAGE, values=(512.5,)),)),),
        ),),
    ))
    emit("ven created report", id=report.id, client_id=report.client_id)

    updated = bl.events.update_event_by_id(event_id=event.id, updated_event=EventUpdate(
        programID=program.id, event_name="elaad-event", targets=("elaad-group",),
        interval_period=IntervalPeriod(start=start, duration=timedelta(minutes=15)),
        intervals=(Interval(id=0, interval_period=None, payloads=(EventPayload(type=EventPayloadType.SIMPLE, values=(3,)),)),),
    ))
    emit("bl updated event", id=updated.id, values=[p.values[0] for i in (updated.intervals or ()) for p in i.payloads])

    read_reports_and_delete(bl, event)
    emit("ven read events after delete", ids=[e.id for e in ven.events.get_events(target=None, pagination=None, program_id=program.id)])


if __name__ == "__main__":
    run(main)
