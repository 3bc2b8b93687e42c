"""Drives a VTN's OpenADR 3.0.1 API with ElaadNL's openadr3-client (PyPI) in its 3.0.1 mode, as business logic and as a VEN.

Usage: elaad_openadr301.py BASE_URL CA_FILE BL_ID BL_SECRET VEN_ID VEN_SECRET CALLBACK_URL
BASE_URL is the VTN's 3.0.1 base (FlexBridge serves it at /3.0.1 beside 3.1.0); 3.0.1 has no
auth/server, so the token URL is BASE_URL/auth/token. One JSON object per step on stdout; exits
non-zero on the first failure, with the client's own error on stderr.
"""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openadr3_client._models.common.interval import Interval
from openadr3_client._models.common.interval_period import IntervalPeriod
from openadr3_client.bl.http_factory import BusinessLogicHttpClientFactory
from openadr3_client.oadr301._vtn.interfaces.filters import TargetFilter
from openadr3_client.oadr301.models.event.event import EventUpdate, NewEvent
from openadr3_client.oadr301.models.event.event_payload import EventPayload, EventPayloadType
from openadr3_client.oadr301.models.program.program import NewProgram
from openadr3_client.oadr301.models.report.report import NewReport, ReportResource
from openadr3_client.oadr301.models.report.report_payload import ReportPayload, ReportPayloadType
from openadr3_client.oadr301.models.subscriptions.subscription import NewSubscription, Object, ObjectOperation, Operation
from openadr3_client.oadr301.models.target import Target
from openadr3_client.oadr301.models.target_type import TargetType
from openadr3_client.oadr301.models.ven.resource import NewResource
from openadr3_client.oadr301.models.ven.ven import NewVen
from openadr3_client.ven.http_factory import VirtualEndNodeHttpClientFactory
from openadr3_client.version import OADRVersion

from elaad_common import emit, read_reports_and_delete, run

GROUP = "elaad301-group"


def main():
    base, ca, bl_id, bl_secret, ven_id, ven_secret, callback = sys.argv[1:8]
    token_url = f"{base}/auth/token"
    bl = BusinessLogicHttpClientFactory.create_http_bl_client(
        vtn_base_url=base, client_id=bl_id, client_secret=bl_secret, token_url=token_url, verify_vtn_tls_certificate=Path(ca), version=OADRVersion.OADR_301,
    )
    ven = VirtualEndNodeHttpClientFactory.create_http_ven_client(
        vtn_base_url=base, client_id=ven_id, client_secret=ven_secret, token_url=token_url, verify_vtn_tls_certificate=Path(ca), version=OADRVersion.OADR_301,
    )
    group = (Target(type=TargetType.GROUP, values=(GROUP,)),)

    # 3.0.1 VEN objects name no client: FlexBridge gives one made by business logic to the client named by its venName.
    enrolled = bl.vens.create_ven(new_ven=NewVen(ven_name=ven_id, targets=group))
    emit("bl created ven", id=enrolled.id, targets=[[t.type, list(t.values)] for t in (enrolled.targets or ())])

    # Resources live under their VEN in 3.0.1.
    resource = ven.vens.create_ven_resource(ven_id=enrolled.id, new_resource=NewResource(resource_name="elaad301-meter", venID=enrolled.id))
    listed = ven.vens.get_ven_resources(ven_id=enrolled.id, resource_name=None, target=None, pagination=None)
    emit("ven created resource", id=resource.id, ven_id=resource.ven_id, listed=[r.id for r in listed])

    program = bl.programs.create_program(new_program=NewProgram(program_name="elaad301-program", targets=group))
    emit("bl created program", id=program.id, name=program.program_name, targets=[[t.type, list(t.values)] for t in (program.targets or ())])

    start = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0)
    event = bl.events.create_event(new_event=NewEvent(
        programID=program.id, event_name="elaad301-event", targets=group,
        interval_period=IntervalPeriod(start=start, duration=timedelta(minutes=15)),
        intervals=(
            Interval(id=0, interval_period=None, payloads=(EventPayload(type=EventPayloadType.SIMPLE, values=(1,)),)),
            Interval(id=1, interval_period=None, payloads=(EventPayload(type=EventPayloadType.SIMPLE, values=(2,)),)),
        ),
    ))
    emit("bl created event", id=event.id, targets=[[t.type, list(t.values)] for t in (event.targets or ())])

    seen = ven.events.get_events(target=TargetFilter(target_type="GROUP", target_values=[GROUP]), pagination=None, program_id=program.id)
    emit("ven read events", ids=[e.id for e in seen], values=[[p.values[0] for p in i.payloads] for e in seen for i in (e.intervals or ())])

    subscription = ven.subscriptions.create_subscription(new_subscription=NewSubscription(
        client_name=ven_id, programID=program.id,
        object_operations=(ObjectOperation(objects=(Object.EVENT,), operations=(Operation.POST, Operation.PUT, Operation.DELETE), callback_url=callback, bearer_token="elaad301-token"),),
    ))
    emit("ven created subscription", id=subscription.id)

    report = ven.reports.create_report(new_report=NewReport(
        programID=program.id, eventID=event.id, client_name=ven_id, report_name="elaad301-usage",
        resources=(ReportResource(
            resource_name="elaad301-meter", interval_period=IntervalPeriod(start=start, duration=timedelta(minutes=15)),
            intervals=(Interval(id=0, interval_period=None, payloads=(ReportPayload(type=ReportPayloadType.USAGE, values=(301.5,)),)),),
        ),),
    ))
    emit("ven created report", id=report.id)

    # 3.0.1 PUTs the whole object: the existing event with the update applied.
    updated = bl.events.update_event_by_id(event_id=event.id, updated_event=event.update(EventUpdate(
        intervals=(Interval(id=0, interval_period=None, payloads=(EventPayload(type=EventPayloadType.SIMPLE, values=(3,)),)),),
    )))
    emit("bl updated event", id=updated.id, values=[p.values[0] for i in (updated.intervals or ()) for p in i.payloads])

    read_reports_and_delete(bl, event)


if __name__ == "__main__":
    run(main)
