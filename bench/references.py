"""Reference figures for Demi's benchmarks, measured with Debian's own tools."""
import json
import os
import statistics
import subprocess
import sys
import time

import apt_pkg

fixtures, work = sys.argv[1], sys.argv[2]
packages_xz = os.path.join(fixtures, "archive/bookworm/main/binary-amd64/Packages.xz")
plain = os.path.join(work, "Packages")
with open(plain, "wb") as out:
    subprocess.run(["xz", "-dc", packages_xz], stdout=out, check=True)


def median_seconds(action, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def xz_dc():
    subprocess.run(["xz", "-dc", packages_xz], stdout=subprocess.DEVNULL, check=True)


def tagfile_walk():
    count = 0
    with apt_pkg.TagFile(plain) as tags:
        for _ in tags:
            count += 1
    assert count == 63440, count


versions = []
with apt_pkg.TagFile(plain) as tags:
    for section in tags:
        versions.append(section["Version"])
pairs = [(versions[i % len(versions)], versions[(i * 7919) % len(versions)]) for i in range(200_000)]


def compare_all():
    compare = apt_pkg.version_compare
    for a, b in pairs:
        compare(a, b)


apt_pkg.init_system()
compare_seconds = median_seconds(compare_all, 5)
json.dump({
    "xz_dc_ms": median_seconds(xz_dc, 7) * 1000,
    "tagfile_walk_ms": median_seconds(tagfile_walk, 7) * 1000,
    "apt_pkg_version_compare_per_s": len(pairs) / compare_seconds,
}, sys.stdout)
