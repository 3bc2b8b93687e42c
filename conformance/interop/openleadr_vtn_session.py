"""OpenLEADR's VTN (from PyPI) for an interop session with a VEN under test.

Usage: openleadr_vtn_session.py HOST PORT TLS_CERT TLS_KEY CA VEN_ID VEN_FINGERPRINT OUT_JSON
Registers the VEN whose client certificate has VEN_FINGERPRINT under VEN_ID, offers it two events
(it should opt out of the one whose id contains 'optout'), requests its TELEMETRY_USAGE data
points every second, and keeps writing what it saw to OUT_JSON.
"""
import asyncio
import json
import logging
import sys
from datetime import datetime, timedelta, timezone

from openleadr import OpenADRServer

from openleadr_vtn_parts import SessionRecord

host, port, cert, key, ca, VEN_ID, fingerprint, out_path = sys.argv[1:9]
logging.getLogger("openleadr").setLevel(logging.ERROR)
record = SessionRecord(VEN_ID, fingerprint, out_path, "ven-under-test")


async def main():
    server = OpenADRServer(vtn_id="OpenLEADR-VTN", http_host=host, http_port=int(port), http_cert=cert, http_key=key, http_ca_file=ca,
                           ven_lookup=record.ven_lookup, verify_message_signatures=False, requested_poll_freq=timedelta(seconds=1),
                           show_fingerprint=False, show_server_cert_domain=False)
    server.add_handler("on_create_party_registration", record.on_create_party_registration)
    server.add_handler("on_register_report", record.on_register_report)
    start = datetime.now(timezone.utc) + timedelta(hours=1)
    for event_id in ("interop-optin", "interop-optout"):
        server.add_event(ven_id=VEN_ID, signal_name="simple", signal_type="level", event_id=event_id,
                         intervals=[{"dtstart": start, "duration": timedelta(minutes=30), "signal_payload": 1.0}],
                         callback=record.on_opt, market_context="http://flexbridge.example/interop")
    await server.run()
    record.save()
    print(json.dumps({"msg": "OpenLEADR VTN listening", "port": int(port)}), flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
