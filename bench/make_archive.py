"""Writes a security-suite-shaped Debian archive for the mirror benchmarks.

The package list is the real one of a fixture suite (every stanza of its Packages index,
names, versions and fields unchanged); each pool file is random bytes, its size the real
size divided by a factor, so the archive has the real number of files and the real spread
of sizes at a fraction of the volume. Packages, Packages.gz and Packages.xz are written with
the new sizes and hashes, listed in a Release dated now and signed with a key made here
(InRelease and Release.gpg, by gpg).

usage: make_archive.py FIXTURE_PACKAGES_XZ OUT_ROOT SUITE DIVISOR GNUPGHOME
prints: files bytes
"""
import gzip
import hashlib
import lzma
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

packages_xz, out_root, suite, divisor, gnupghome = sys.argv[1:6]
divisor = int(divisor)


def stanzas(text):
    for block in text.split("\n\n"):
        if block.strip():
            fields, name = [], None
            for line in block.split("\n"):
                if line[:1] in (" ", "\t") and fields:
                    fields[-1][1] += "\n" + line
                else:
                    name, _, value = line.partition(":")
                    fields.append([name, value])
            yield fields


written = {}
total = 0
out = []
for fields in stanzas(lzma.decompress(open(packages_xz, "rb").read()).decode("utf-8")):
    get = {n: v.strip() for n, v in fields}
    filename = get["Filename"]
    if filename not in written:
        size = max(512, int(get["Size"]) // divisor)
        data = os.urandom(size)
        path = os.path.join(out_root, filename)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        written[filename] = (size, hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest())
        total += size
    size, md5, sha = written[filename]
    lines = []
    for name, value in fields:
        if name == "Size":
            value = f" {size}"
        elif name == "MD5sum":
            value = f" {md5}"
        elif name == "SHA256":
            value = f" {sha}"
        elif name == "SHA1":
            continue
        lines.append(f"{name}:{value}")
    out.append("\n".join(lines) + "\n")
plain = "\n".join(out).encode("utf-8")

dist = os.path.join(out_root, "dists", suite)
indices = {
    "main/binary-amd64/Packages": plain,
    "main/binary-amd64/Packages.gz": gzip.compress(plain, 9),
    "main/binary-amd64/Packages.xz": lzma.compress(plain, preset=6),
}
for rel, data in indices.items():
    path = os.path.join(dist, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)

now = datetime.now(timezone.utc).replace(microsecond=0)
fmt = "%a, %d %b %Y %H:%M:%S UTC"
release = [
    "Origin: Demi Bench", "Label: Demi Bench", f"Suite: {suite}", f"Codename: {suite}",
    f"Date: {now.strftime(fmt)}", f"Valid-Until: {(now + timedelta(days=7)).strftime(fmt)}",
    "Acquire-By-Hash: no", "Architectures: amd64", "Components: main",
    "Description: written by Demi's mirror benchmark",
]
for label, algo in (("MD5Sum", hashlib.md5), ("SHA256", hashlib.sha256)):
    release.append(f"{label}:")
    for rel, data in indices.items():
        release.append(f" {algo(data).hexdigest()} {len(data):>10} {rel}")
release_path = os.path.join(dist, "Release")
with open(release_path, "w") as f:
    f.write("\n".join(release) + "\n")
gpg = ["gpg", "--homedir", gnupghome, "--batch", "--yes", "--quiet", "--pinentry-mode", "loopback",
       "--passphrase", ""]
subprocess.run(gpg + ["--clearsign", "-o", os.path.join(dist, "InRelease"), release_path], check=True)
subprocess.run(gpg + ["--detach-sign", "--armor", "-o", os.path.join(dist, "Release.gpg"), release_path],
               check=True)
print(len(written), total)
