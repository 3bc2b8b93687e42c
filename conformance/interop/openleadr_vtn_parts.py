"""What our OpenLEADR VTN peers share: one VEN known by its certificate's fingerprint, and a JSON
record of what the VTN saw (registration, opts, readings), rewritten whole on every change."""
import json
import os
from datetime import timedelta


class SessionRecord:
    def __init__(self, ven_id, fingerprint, out_path, ven_name, **extra):
        self.ven_id = ven_id
        self.fingerprint = fingerprint
        self.out_path = out_path
        self.ven_name = ven_name
        self.seen = {"registered": False, "opts": {}, "readings": [], **extra}

    def save(self):
        # Write and rename, so a reader never sees half a file.
        with open(self.out_path + ".tmp", "w") as out:
            json.dump(self.seen, out)
        os.replace(self.out_path + ".tmp", self.out_path)

    def ven_lookup(self, ven_id):
        if ven_id == self.ven_id:
            return {"ven_id": self.ven_id, "ven_name": self.ven_name, "fingerprint": self.fingerprint, "registration_id": "reg-" + self.ven_id}
        return None

    async def on_create_party_registration(self, info):
        if info.get("fingerprint") != self.fingerprint:
            return False
        self.seen["registered"] = True
        self.save()
        return self.ven_id, "reg-" + self.ven_id

    def on_opt(self, ven_id, event_id, opt_type):
        self.seen["opts"][event_id] = opt_type
        self.save()

    def on_data(self, data):
        for timestamp, value in data:
            self.seen["readings"].append({"time": timestamp.isoformat(), "value": value})
        self.save()

    async def on_register_report(self, ven_id, resource_id, measurement, unit, scale, min_sampling_interval, max_sampling_interval):
        # Every data point, sampled every second and reported every two.
        return self.on_data, timedelta(seconds=1), timedelta(seconds=2)
