"""asyncua (from PyPI) as an independent OPC UA server: a meter with a MeterPowerW variable
(ns=2;s=MeterPowerW) holding POWER watts. Usage: asyncua_meter_server.py PORT POWER"""
import asyncio
import json
import sys

from asyncua import Server, ua


async def main():
    port, power = int(sys.argv[1]), float(sys.argv[2])
    server = Server()
    await server.init()
    server.set_endpoint(f"opc.tcp://127.0.0.1:{port}/meter")
    server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
    idx = await server.register_namespace("urn:flexbridge:test-meter")
    meter = await server.nodes.objects.add_object(idx, "Meter")
    await meter.add_variable(ua.NodeId("MeterPowerW", idx), "MeterPowerW", power, varianttype=ua.VariantType.Double)
    async with server:
        print(json.dumps({"msg": "meter listening", "namespaceIndex": idx}), flush=True)
        await asyncio.Event().wait()


asyncio.run(main())
