"""OpenLEADR's VTN (from PyPI) as a reference server for benchmarks and interop.

Usage: openleadr_vtn.py HOST PORT TLS_CERT TLS_KEY CA VENS_JSON MODE
VENS_JSON: {"vens": [{"ven_id": ..., "fingerprint": "AB:CD:..."}], "population": N}; every listed VEN
is registered and gets one event; N - len(vens) further VENs are registered without certificates.
Every data point a VEN registers is requested, so oadrUpdateReport can be measured.
MODE: "plain" (unsigned messages) or "signed" (OpenLEADR signs its answers and verifies the VENs').
"""
import asyncio
import json
import logging
import sys
from datetime import datetime, timedelta, timezone

from openleadr import OpenADRServer, enums

host, port, cert, key, ca, vens_path, mode = sys.argv[1:8]
logging.getLogger("openleadr").setLevel(logging.ERROR)
spec = json.load(open(vens_path))
vens = {v["ven_id"]: {"ven_id": v["ven_id"], "ven_name": v["ven_id"], "fingerprint": v["fingerprint"], "registration_id": "reg-" + v["ven_id"]} for v in spec["vens"]}
for i in range(spec["population"] - len(vens)):
    ven_id = f"population-{i}"
    vens[ven_id] = {"ven_id": ven_id, "ven_name": ven_id, "fingerprint": None, "registration_id": "reg-" + ven_id}


def ven_lookup(ven_id):
    return vens.get(ven_id)


async def on_create_party_registration(registration_info):
    for ven in vens.values():
        if ven["fingerprint"] == registration_info.get("fingerprint"):
            return ven["ven_id"], ven["registration_id"]
    return False


def on_opt(ven_id, event_id, opt_type):
    pass


async def on_register_report(ven_id, resource_id, measurement, unit, scale, min_sampling_interval, max_sampling_interval):
    # Every offered data point is requested (the benchmark then sends oadrUpdateReport against it).
    async def on_data(data):
        pass
    return on_data, min_sampling_interval


async def main():
    signed = mode == "signed"
    server = OpenADRServer(vtn_id="OpenLEADR-VTN", http_host=host, http_port=int(port), http_cert=cert, http_key=key, http_ca_file=ca,
                           cert=cert if signed else None, key=key if signed else None, ven_lookup=ven_lookup,
                           verify_message_signatures=signed, show_fingerprint=False, show_server_cert_domain=False)
    server.add_handler("on_create_party_registration", on_create_party_registration)
    server.add_handler("on_register_report", on_register_report)
    start = datetime.now(timezone.utc) + timedelta(hours=1)
    for ven_id in list(vens)[: len(spec["vens"])]:
        server.add_event(ven_id=ven_id, signal_name="simple", signal_type="level", intervals=[{"dtstart": start, "duration": timedelta(hours=1), "signal_payload": 1.0}],
                         event_id="bench-" + ven_id, callback=on_opt, market_context="http://flexbridge.example/bench")
    await server.run()
    print(json.dumps({"msg": "OpenLEADR VTN listening", "port": int(port)}), flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
