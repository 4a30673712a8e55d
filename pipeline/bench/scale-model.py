#!/usr/bin/env python3
"""Back-of-envelope wall time of a Dataflow signing job; prints a Markdown table.

Every number below is an assumption you can change on the command line, e.g.
  python3 pipeline/bench/scale-model.py --cores=8 --nic-gbps=16 --quota-gbps=1000
See PERFORMANCE.md ("Scale model") for where each default comes from.
"""
import argparse
import math

p = argparse.ArgumentParser()
p.add_argument("--startup-s", type=float, default=210, help="Dataflow job + VM start-up (3-4 min)")
p.add_argument("--fixed-s", type=float, default=10, help="list + plan + join + sign + write on Dataflow")
p.add_argument("--shard-gb", type=float, default=1.0, help="unit size (model_signing shard size, 10^9 B)")
p.add_argument("--cores", type=int, default=4, help="vCPUs per worker (n2d-standard-4)")
p.add_argument("--threads", type=int, default=4, help="units hashed at once per worker (harness threads)")
p.add_argument("--hash-gbs", type=float, default=1.8, help="SHA-256 GB/s per core with SHA extensions (measured: PERFORMANCE.md)")
p.add_argument("--nic-gbps", type=float, default=10, help="per-VM network cap, Gbit/s")
p.add_argument("--stream-gbs", type=float, default=0.2, help="one ranged GCS read stream, GB/s (assumed)")
p.add_argument("--quota-gbps", type=float, default=200, help="GCS Google-egress quota per project per region, Gbit/s")
a = p.parse_args()

per_thread = min(a.hash_gbs, a.stream_gbs)  # one unit = one stream hashed by one thread
per_worker = min(a.cores * a.hash_gbs, a.nic_gbps / 8, a.threads * per_thread)
print(f"per worker: min({a.cores} x {a.hash_gbs} GB/s hash, {a.nic_gbps / 8:.2f} GB/s NIC, "
      f"{a.threads} x {per_thread} GB/s streams) = {per_worker:.2f} GB/s; "
      f"project quota {a.quota_gbps / 8:.1f} GB/s\n")
print("| model | units | workers | aggregate GB/s | bound | hashing s | wall time |")
print("|---|---:|---:|---:|---|---:|---:|")
for size_gb in (100, 1000, 10000):
    units = math.ceil(size_gb / a.shard_gb)
    for workers in (10, 100, 1000):
        agg = min(workers * per_worker, a.quota_gbps / 8)
        bound = "quota" if workers * per_worker > a.quota_gbps / 8 else "workers"
        waves = math.ceil(units / (workers * a.threads))
        unit_s = a.shard_gb / min(per_thread, agg / min(units, workers * a.threads))
        hashing = max(size_gb / agg, waves * unit_s)
        if waves * unit_s >= size_gb / agg * 1.01:
            bound = f"units ({waves} wave{'s' if waves > 1 else ''})"
        wall = a.startup_s + a.fixed_s + hashing
        label = f"{size_gb // 1000} TB" if size_gb >= 1000 else f"{size_gb} GB"
        print(f"| {label} | {units} | {workers} | {agg:.1f} | {bound} | {hashing:.0f} | "
              f"{wall / 60:.1f} min |")
