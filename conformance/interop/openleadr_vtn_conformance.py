"""OpenLEADR's VTN (from PyPI) as a system under test for `flexbridge conformance`.

Usage: openleadr_vtn_conformance.py HOST PORT TLS_CERT TLS_KEY CA
Any VEN with a certificate from CA may register; its venID is its certificate fingerprint in the
2.0b convention (20 lowercase hex digits). Events are added over a small HTTP operator endpoint
on PORT+1 (POST JSON {"venId", "eventId", "value"}) so the event cases can run.
"""
import asyncio
import json
import logging
import sys
from datetime import datetime, timedelta, timezone

from aiohttp import web
from openleadr import OpenADRServer

host, port, cert, key, ca = sys.argv[1:6]
logging.getLogger("openleadr").setLevel(logging.ERROR if "--debug" in sys.argv else logging.CRITICAL)
registered = {}


def ven_lookup(ven_id):
    return registered.get(ven_id)


async def on_create_party_registration(registration_info):
    fingerprint = (registration_info.get("fingerprint") or "").replace(":", "").lower()
    if not fingerprint:
        return False
    ven = {"ven_id": fingerprint, "ven_name": registration_info.get("ven_name", fingerprint), "fingerprint": registration_info.get("fingerprint"), "registration_id": "reg-" + fingerprint}
    registered[fingerprint] = ven
    return ven["ven_id"], ven["registration_id"]


async def on_cancel_party_registration(payload):
    ven_id = payload.get("ven_id") if isinstance(payload, dict) else payload
    registered.pop(ven_id, None)


def on_opt(ven_id, event_id, opt_type):
    pass


async def on_register_report(ven_id, resource_id, measurement, unit, scale, min_sampling_interval, max_sampling_interval):
    # Ask for every offered report, as a VTN collecting telemetry would.
    async def on_data(data):
        pass
    return on_data, min_sampling_interval


async def main():
    server = OpenADRServer(vtn_id="OpenLEADR-VTN", http_host=host, http_port=int(port), http_cert=cert, http_key=key, http_ca_file=ca,
                           ven_lookup=ven_lookup, show_fingerprint=False, show_server_cert_domain=False)
    server.add_handler("on_create_party_registration", on_create_party_registration)
    server.add_handler("on_cancel_party_registration", on_cancel_party_registration)
    server.add_handler("on_register_report", on_register_report)

    async def add_event(request):
        body = await request.json()
        start = datetime.now(timezone.utc) + timedelta(milliseconds=body.get("startInMs", 3_600_000))
        value = float(body["value"])
        second = 0.0 if body.get("signalName", "simple") == "simple" else value + 1
        targets = {"ven_id": [body["venId"]]}
        if body.get("resourceIds"):
            targets["resource_id"] = body["resourceIds"]
        try:
            server.add_event(ven_id=body["venId"], signal_name=body.get("signalName", "simple"), signal_type=body.get("signalType", "level"),
                             intervals=[{"dtstart": start, "duration": timedelta(minutes=30), "signal_payload": value},
                                        {"dtstart": start + timedelta(minutes=30), "duration": timedelta(minutes=30), "signal_payload": second}],
                             event_id=body["eventId"], callback=on_opt, market_context="http://flexbridge.example/conformance",
                             targets_by_type=targets, response_required=body.get("responseRequired", "always"))
        except Exception as error:  # OpenLEADR refuses what it cannot express; the harness reports it
            return web.json_response({"error": f"{type(error).__name__}: {error}"}, status=400)
        return web.json_response({"ok": True}, status=201)

    app = web.Application()
    app.router.add_post("/events", add_event)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, int(port) + 1).start()
    await server.run()
    print(json.dumps({"event": "ready"}), flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
