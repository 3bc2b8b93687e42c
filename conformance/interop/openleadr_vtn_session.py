"""OpenLEADR's VTN (from PyPI) for an interop session with a VEN under test.

Usage: openleadr_vtn_session.py HOST PORT TLS_CERT TLS_KEY CA VEN_ID VEN_FINGERPRINT OUT_JSON
Registers the VEN whose client certificate has VEN_FINGERPRINT under VEN_ID, offers it two events
(it should opt out of the one whose id contains 'optout'), requests its TELEMETRY_USAGE data
points every second, and keeps writing what it saw to OUT_JSON.
"""
import asyncio
import json
import logging
import os
import sys
from datetime import datetime, timedelta, timezone

from openleadr import OpenADRServer

host, port, cert, key, ca, VEN_ID, fingerprint, out_path = sys.argv[1:9]
logging.getLogger("openleadr").setLevel(logging.ERROR)
seen = {"registered": False, "opts": {}, "readings": []}


def save():
    # Write and rename, so a reader never sees half a file.
    with open(out_path + ".tmp", "w") as out:
        json.dump(seen, out)
    os.replace(out_path + ".tmp", out_path)


def ven_lookup(ven_id):
    if ven_id == VEN_ID:
        return {"ven_id": VEN_ID, "ven_name": "ven-under-test", "fingerprint": fingerprint, "registration_id": "reg-" + VEN_ID}
    return None


async def on_create_party_registration(info):
    if info.get("fingerprint") != fingerprint:
        return False
    seen["registered"] = True
    save()
    return VEN_ID, "reg-" + VEN_ID


def on_opt(ven_id, event_id, opt_type):
    seen["opts"][event_id] = opt_type
    save()


def on_data(data):
    for timestamp, value in data:
        seen["readings"].append({"time": timestamp.isoformat(), "value": value})
    save()


async def on_register_report(ven_id, resource_id, measurement, unit, scale, min_sampling_interval, max_sampling_interval):
    return on_data, timedelta(seconds=1), timedelta(seconds=2)


async def main():
    server = OpenADRServer(vtn_id="OpenLEADR-VTN", http_host=host, http_port=int(port), http_cert=cert, http_key=key, http_ca_file=ca,
                           ven_lookup=ven_lookup, verify_message_signatures=False, requested_poll_freq=timedelta(seconds=1),
                           show_fingerprint=False, show_server_cert_domain=False)
    server.add_handler("on_create_party_registration", on_create_party_registration)
    server.add_handler("on_register_report", on_register_report)
    start = datetime.now(timezone.utc) + timedelta(hours=1)
    for event_id in ("interop-optin", "interop-optout"):
        server.add_event(ven_id=VEN_ID, signal_name="simple", signal_type="level", event_id=event_id,
                         intervals=[{"dtstart": start, "duration": timedelta(minutes=30), "signal_payload": 1.0}],
                         callback=on_opt, market_context="http://flexbridge.example/interop")
    await server.run()
    save()
    print(json.dumps({"msg": "OpenLEADR VTN listening", "port": int(port)}), flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
