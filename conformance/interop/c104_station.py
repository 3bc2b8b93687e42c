"""A controlled station made of c104 (lib60870-C), for our controlling station to talk to.

Common address 1: IOA 1000 M_ME_NC_1 (power, W, reported every --report-ms), IOA 1001 M_ME_TF_1
(time-tagged power, same period), IOA 2000 C_SE_NC_1 and IOA 2001 C_SE_TC_1 (setpoints, direct),
IOA 2002 C_SE_NC_1 (select-and-execute). Prints one JSON object per line: ready, clock_sync,
setpoint (with the value received). Runs until stdin closes or --seconds pass.
"""
import argparse
import datetime
import sys
import time

import c104

from peer_io import emit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--report-ms', type=int, default=1000)
    parser.add_argument('--seconds', type=float, default=60)
    args = parser.parse_args()

    server = c104.Server(ip='127.0.0.1', port=args.port, tick_rate_ms=50)
    station = server.add_station(common_address=1)
    power = station.add_point(io_address=1000, type=c104.Type.M_ME_NC_1, report_ms=args.report_ms)
    power.value = 4200.0
    tagged = station.add_point(io_address=1001, type=c104.Type.M_ME_TF_1, report_ms=args.report_ms)
    tagged.value = 4200.0

    def on_setpoint(point: c104.Point, previous_info: c104.Information, message: c104.IncomingMessage) -> c104.ResponseState:
        emit(event='setpoint', ioa=point.io_address, type=str(point.type), value=point.value, select=message.is_select_command)
        # The measured power follows the order, as a plant would.
        if not message.is_select_command:
            power.value = point.value
            tagged.value = point.value
        return c104.ResponseState.SUCCESS

    for ioa, kind, mode in [(2000, c104.Type.C_SE_NC_1, c104.CommandMode.DIRECT), (2001, c104.Type.C_SE_TC_1, c104.CommandMode.DIRECT), (2002, c104.Type.C_SE_NC_1, c104.CommandMode.SELECT_AND_EXECUTE)]:
        command = station.add_point(io_address=ioa, type=kind, command_mode=mode)
        command.on_receive(callable=on_setpoint)

    def on_clock_sync(server: c104.Server, ip: str, date_time: datetime.datetime) -> c104.ResponseState:
        emit(event='clock_sync', ip=ip, time=date_time.timestamp())  # `server` is the callback's own argument
        return c104.ResponseState.SUCCESS

    server.on_clock_sync(callable=on_clock_sync)
    server.start()
    emit(event='ready', port=args.port)
    deadline = time.time() + args.seconds
    while time.time() < deadline and server.is_running:
        time.sleep(0.1)
    server.stop()


if __name__ == '__main__':
    sys.exit(main())
