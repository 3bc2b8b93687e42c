"""OpenLEADR's VEN (from PyPI) driven against a VTN under test.

Registers over mutual TLS, registers a TELEMETRY_USAGE report, answers events (opting out of
any whose eventID contains 'optout'), sends telemetry, and writes what it saw as JSON.
Usage: openleadr_ven.py VTN_URL CERT KEY CA SECONDS OUT_JSON
"""
import asyncio
import json
import logging
import os
import sys
from datetime import timedelta

from openleadr import OpenADRClient, enums

vtn_url, cert, key, ca, seconds, out_path = sys.argv[1:7]
if os.environ.get('FLEXBRIDGE_PEER_DEBUG'):
    logging.getLogger('openleadr').setLevel(logging.DEBUG)
    logging.basicConfig(level=logging.INFO)
seen = {"events": [], "responses": {}, "ven_id": None, "registration_id": None}


async def on_event(event):
    event_id = event["event_descriptor"]["event_id"]
    seen["events"].append({"event_id": event_id, "modification_number": event["event_descriptor"]["modification_number"],
                           "status": event["event_descriptor"]["event_status"]})
    answer = "optOut" if "optout" in event_id else "optIn"
    seen["responses"][event_id] = answer
    return answer


async def on_update_event(event):
    return await on_event(event)


def read_power():
    return 1234.5


async def main():
    client = OpenADRClient(ven_name="openleadr-ven", vtn_url=vtn_url, cert=cert, key=key, ca_file=ca, show_fingerprint=False)
    client.add_handler("on_event", on_event)
    client.add_handler("on_update_event", on_update_event)
    client.add_report(callback=read_power, resource_id="device-1", measurement=enums.MEASUREMENTS.POWER_REAL,
                      report_specifier_id="openleadr-usage", r_id="device-1-power",
                      sampling_rate=timedelta(seconds=1), report_duration=timedelta(hours=1))
    await client.run()
    await asyncio.sleep(float(seconds))
    seen["ven_id"] = client.ven_id
    seen["registration_id"] = client.registration_id
    await client.stop()
    with open(out_path, "w") as out:
        json.dump(seen, out)


asyncio.run(main())
