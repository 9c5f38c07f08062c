"""Prints Demi's JMH results beside the reference figures, with the targets of issue 2."""
import json
import sys

refs = json.load(open(sys.argv[1]))
jmh = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[2]))}


def ms(name):
    m = jmh.get(name)
    return (m["score"], m["scoreError"]) if m else (None, None)


rows = []
parse, parse_err = ms("parsePlainIntoTypedEntries")
if parse is not None:
    ratio = parse / refs["tagfile_walk_ms"]
    rows.append(("parse 50 MB Packages into typed entries", f"{parse:.1f} ± {parse_err:.1f} ms",
                 f"libapt TagFile walk {refs['tagfile_walk_ms']:.1f} ms", f"{ratio:.2f}x", "<= 2x", ratio <= 2))
for name, label in (("decompressVerifiedXzAndParse", "xz decompress + parse (CRC skipped, SHA256-verified input)"),
                    ("decompressCheckedXzAndParse", "xz decompress + parse (xz CRC64 checked)"),
                    ("decompressXzFileByBlocksAndParse", "xz file, its 2 blocks on 2 threads, + parse")):
    t, err = ms(name)
    if t is not None:
        ratio = t / refs["xz_dc_ms"]
        rows.append((label, f"{t:.0f} ± {err:.0f} ms", f"xz -dc {refs['xz_dc_ms']:.0f} ms", f"{ratio:.2f}x",
                     "<= 1.5x", ratio <= 1.5))
for name, label, target in (("compareParsed", "compare pre-parsed versions", 50e6),
                            ("parseAndCompare", "parse two strings and compare", 10e6)):
    m = jmh.get(name)
    if m:
        rate = m["score"]
        ref = refs["apt_pkg_version_compare_per_s"]
        rows.append((label, f"{rate / 1e6:.1f} M/s ± {m['scoreError'] / 1e6:.1f}",
                     f"apt_pkg.version_compare {ref / 1e6:.2f} M/s", f"{rate / ref:.1f}x ref",
                     f">= {target / 1e6:.0f} M/s", rate >= target))

widths = [max(len(str(r[i])) for r in rows + [("benchmark", "demi", "reference", "ratio", "target", "")])
          for i in range(5)]
header = ("benchmark", "demi", "reference", "ratio", "target")
print("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  met")
for r in rows:
    print("  ".join(str(c).ljust(w) for c, w in zip(r[:5], widths)) + "  " + ("yes" if r[5] else "NO"))
