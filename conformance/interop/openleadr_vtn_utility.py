"""OpenLEADR's VTN (from PyPI) as a utility's 2.0b VTN upstream of FlexBridge's bridge.

Usage: openleadr_vtn_utility.py HOST PORT TLS_CERT TLS_KEY CA VEN_ID VEN_FINGERPRINT SETPOINT_W CONTROL OUT_JSON
Registers the bridge (its client certificate has VEN_FINGERPRINT) as VEN_ID, gives it one
LOAD_DISPATCH setpoint event of SETPOINT_W from a minute ago for 30 minutes, asks for its
TELEMETRY_USAGE every second, and follows the lines of the CONTROL file: `modify <watts>` changes
the setpoint (the next modification number), `cancel` cancels the event. Keeps writing what it saw
(registration, opts, readings, applied control lines) to OUT_JSON.
"""
import asyncio
import json
import logging
import os
import sys
from datetime import datetime, timedelta, timezone

from openleadr import OpenADRServer, utils

from openleadr_vtn_parts import SessionRecord

host, port, cert, key, ca, VEN_ID, fingerprint, setpoint, control_path, out_path = sys.argv[1:11]
logging.getLogger("openleadr").setLevel(logging.ERROR)
record = SessionRecord(VEN_ID, fingerprint, out_path, "bridge", applied=[])
EVENT_ID = "utility-peak-1"


async def follow_control(server):
    done = 0
    while True:
        await asyncio.sleep(0.2)
        lines = open(control_path).read().splitlines() if os.path.exists(control_path) else []
        for line in lines[done:]:
            event = utils.find_by(server.events[VEN_ID], "event_descriptor.event_id", EVENT_ID)
            if line.startswith("modify "):
                for interval in utils.getmember(utils.getmember(event, "event_signals")[0], "intervals"):
                    utils.setmember(interval, "signal_payload", float(line.split()[1]))
                utils.increment_event_modification_number(event)
                server.events_updated[VEN_ID] = True
            elif line == "cancel":
                server.cancel_event(VEN_ID, EVENT_ID)
            record.seen["applied"].append(line)
            record.save()
        done = len(lines)


async def main():
    server = OpenADRServer(vtn_id="utility-VTN", http_host=host, http_port=int(port), http_cert=cert, http_key=key, http_ca_file=ca,
                           ven_lookup=record.ven_lookup, verify_message_signatures=False, requested_poll_freq=timedelta(seconds=1),
                           show_fingerprint=False, show_server_cert_domain=False)
    server.add_handler("on_create_party_registration", record.on_create_party_registration)
    server.add_handler("on_register_report", record.on_register_report)
    start = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=1)
    server.add_event(ven_id=VEN_ID, signal_name="LOAD_DISPATCH", signal_type="setpoint", event_id=EVENT_ID,
                     intervals=[{"dtstart": start, "duration": timedelta(minutes=30), "signal_payload": float(setpoint)}],
                     callback=record.on_opt, market_context="http://utility.example/dr")
    await server.run()
    record.save()
    print(json.dumps({"msg": "OpenLEADR VTN listening", "port": int(port)}), flush=True)
    await follow_control(server)


asyncio.run(main())
