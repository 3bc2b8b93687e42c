"""c104 (lib60870-C) side of `npm run bench:iec104`; prints one JSON object.

decode: c104.explain_bytes_dict on a spontaneous M_ME_TF_1 APDU (c104 exposes no stand-alone
encoder: its encoding happens inside transmit, which the loopback figure covers).
loopback: a c104 server transmits N spontaneous M_ME_TF_1 values; a c104 client in the same
process receives them (Python callback per ASDU, as a c104 application would), at most 400
values in flight because lib60870's queue silently overwrites when full.
"""
import argparse
import json
import threading
import time

import c104


def bench_decode(frame_hex, seconds):
    frame = bytes.fromhex(frame_hex)
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            c104.explain_bytes_dict(apdu=frame)
        count += 100
    return {'decode_per_s': count / (time.perf_counter() - start)}


def bench_loopback(port, count):
    server = c104.Server(ip='127.0.0.1', port=port, tick_rate_ms=50)
    station = server.add_station(common_address=1)
    point = station.add_point(io_address=1000, type=c104.Type.M_ME_TF_1)
    server.start()
    received = [0]
    done = threading.Event()

    def on_raw(connection: c104.Connection, data: bytes) -> None:
        if len(data) > 6 and (data[2] & 0x01) == 0:
            received[0] += 1
            if received[0] >= count:
                done.set()

    client = c104.Client(tick_rate_ms=50, command_timeout_ms=5000)
    connection = client.add_connection(ip='127.0.0.1', port=port, init=c104.Init.NONE)
    connection.on_receive_raw(callable=on_raw)
    client.start()
    deadline = time.time() + 10
    while not server.has_active_connections and time.time() < deadline:
        # c104 2.2.1 with Init.NONE sometimes leaves a fresh connection muted (no STARTDT sent).
        if connection.state == c104.ConnectionState.OPEN_MUTED:
            connection.unmute()
        time.sleep(0.01)
    # lib60870's server queue overwrites its oldest entries when full (transmit still returns True),
    # so the sender keeps at most `in_flight` values ahead of the receiver: nothing is lost.
    in_flight = 400
    refused = 0
    start = time.perf_counter()
    for i in range(count):
        while i - received[0] >= in_flight:
            time.sleep(0.0005)
        point.value = float(i)
        if not point.transmit(cause=c104.Cot.SPONTANEOUS):
            refused += 1
    done.wait(timeout=120)
    elapsed = time.perf_counter() - start
    client.stop()
    server.stop()
    return {'loopback_per_s': received[0] / elapsed, 'received': received[0], 'refused_transmits': refused}


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--mode', choices=['decode', 'loopback'], required=True)
    parser.add_argument('--frame')
    parser.add_argument('--seconds', type=float, default=1.0)
    parser.add_argument('--port', type=int)
    parser.add_argument('--count', type=int, default=20000)
    args = parser.parse_args()
    result = bench_decode(args.frame, args.seconds) if args.mode == 'decode' else bench_loopback(args.port, args.count)
    print(json.dumps(result), flush=True)
