"""asyncua (from PyPI) as an independent OPC UA client: reads every variable of the FlexBridgeVEN
object of the server at ENDPOINT and prints them as one JSON object.
Usage: asyncua_read_ven.py ENDPOINT"""
import asyncio
import json
import math
import sys

from asyncua import Client


async def main():
    async with Client(url=sys.argv[1]) as client:
        objects = client.nodes.objects
        device = None
        for child in await objects.get_children():
            if (await child.read_browse_name()).Name == "FlexBridgeVEN":
                device = child
        if device is None:
            raise SystemExit("no FlexBridgeVEN object under Objects")
        values = {}
        for variable in await device.get_children():
            name = (await variable.read_browse_name()).Name
            value = await variable.read_value()
            if isinstance(value, float) and math.isnan(value):
                value = None
            values[name] = list(value) if isinstance(value, (list, tuple)) else value
        print(json.dumps(values), flush=True)


asyncio.run(main())
