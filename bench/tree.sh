#!/usr/bin/env bash
# tree.sh: writes the repository's benchmark tree, a deterministic stand-in for a backup source.
#
# What it writes
#   The same bytes, names, modes (0644 files, 0755 directories) and mtimes on every run: all content comes
#   from seeded PRNGs (Python's random.Random(seed), stable across Python >= 3.9) and gzip -n; no network,
#   no /dev/urandom. A different gzip build may change the bytes of archive/ only. Of SIZE_MIB MiB in total, about:
#     25 %  src/        source-code-like text (.java .c .h .py .md), thousands of small files (0.5-48 KiB)
#                       in nested module/package directories, identifiers drawn from a skewed vocabulary
#     30 %  logs/       log-like text: a large app.log and access.log plus rotated app.log.N files, with
#                       increasing timestamps, levels, thread names, request ids, latencies, IP addresses
#     10 %  data/       JSON (one record per line) and CSV exports
#     10 %  archive/    already-compressed .gz files (gzip -n -6 of generated log text)
#     25 %  blobs/      random binary: two large .bin files, and small .jpg/.zip/.bin files (rsync does not
#                       compress .jpg/.zip by default, it does try .bin)
#   and prints one summary line: files, directories, bytes, and the zlib level-1 compressed size as an
#   estimate of compressibility.
#
# Usage
#   bench/tree.sh OUT_DIR [SIZE_MIB]
#   OUT_DIR must not exist or be empty. SIZE_MIB defaults to 200 and scales every part (at least 1).
#
# Needs: bash, python3 (>= 3.9), gzip.
#
# Example
#   bench/tree.sh /tmp/bench-tree 20

set -euo pipefail

die() { echo "tree: $*" >&2; exit 1; }
[[ $# -ge 1 && $# -le 2 ]] || die "usage: tree.sh OUT_DIR [SIZE_MIB]"
out=$1
size_mib=${2:-200}
[[ $size_mib =~ ^[1-9][0-9]*$ ]] || die "SIZE_MIB: '$size_mib' (expected: a positive integer)"
command -v python3 >/dev/null || die "python3 not found (needed to generate the tree)"
command -v gzip >/dev/null || die "gzip not found"
if [[ -e $out ]]; then
    [[ -d $out ]] || die "OUT_DIR: '$out' exists and is not a directory"
    [[ -z $(find "$out" -mindepth 1 -maxdepth 1 -print -quit) ]] || die "OUT_DIR: '$out' is not empty"
fi
mkdir -p "$out"

exec python3 - "$out" "$size_mib" <<'PY'
import os, random, subprocess, sys, zlib

out, size_mib = sys.argv[1], int(sys.argv[2])
total = size_mib * 1024 * 1024
if sys.version_info < (3, 9):
    sys.exit("tree: python3 >= 3.9 needed (random.randbytes)")

# Fixed mtimes: 2024-01-01T00:00:00Z plus a per-file offset, so listings and quick checks are reproducible.
EPOCH = 1704067200
stats = {"files": 0, "dirs": 0, "bytes": 0, "z1": 0}

def mkdir(rel):
    path = os.path.join(out, rel)
    if not os.path.isdir(path):
        os.makedirs(path, exist_ok=True)
    return path

def write(rel, data, index):
    path = os.path.join(out, rel)
    mkdir(os.path.dirname(rel))
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0o644)
    t = EPOCH + index * 37
    os.utime(path, (t, t))
    stats["files"] += 1
    stats["bytes"] += len(data)
    stats["z1"] += len(zlib.compress(data, 1))

WORDS = ("data buffer stream index offset length count value result error status config context handler "
         "request response session client server channel socket block chunk token checksum digest file path "
         "name entry list map set queue cache pool thread worker task job event message header payload "
         "module option flag mode state level limit size total start end begin commit rollback read write "
         "open close flush sync lock unlock retry timeout delay interval deadline user group owner mtime "
         "node tree link parent child root local remote source target delta match literal encode decode").split()
# Zipf-like weights: a few identifiers dominate, as in real code and logs.
WEIGHTS = [1.0 / (i + 3) for i in range(len(WORDS))]
TYPES = ["int", "long", "String", "byte[]", "boolean", "List<String>", "Map<String, Long>", "Path", "Buffer"]
LEVELS = ["INFO"] * 12 + ["DEBUG"] * 6 + ["WARN"] * 2 + ["ERROR"]

def ident(r, parts=None):
    ws = r.choices(WORDS, WEIGHTS, k=parts or r.randint(1, 3))
    return ws[0] + "".join(w.capitalize() for w in ws[1:])

def code_text(r, n, ext):
    comment = "#" if ext == ".py" else "//"
    lines, size, depth = [], 0, 0
    while size < n:
        k = r.random()
        ind = "    " * depth
        if k < 0.06 and depth < 4:
            if ext == ".py":
                line = f"{ind}def {ident(r)}(self, {ident(r)}, {ident(r)}={r.randint(0, 4096)}):"
            else:
                line = f"{ind}{r.choice(['public', 'private', 'static'])} {r.choice(TYPES)} {ident(r)}({r.choice(TYPES)} {ident(r)}) {{"
            depth += 1
        elif k < 0.12 and depth > 0:
            depth -= 1
            line = "" if ext == ".py" else "    " * depth + "}"
        elif k < 0.22:
            line = f"{ind}{comment} {' '.join(r.choices(WORDS, WEIGHTS, k=r.randint(3, 12)))}."
        elif k < 0.30:
            line = f"{ind}if ({ident(r)} {r.choice(['<', '>', '==', '!=', '>='])} {r.randint(0, 65536)}) {ident(r)}.{ident(r)}();"
        elif k < 0.34:
            line = ""
        else:
            line = f"{ind}{r.choice(TYPES)} {ident(r)} = {ident(r)}.{ident(r)}({ident(r)}, {r.randint(0, 1 << 20)});"
        lines.append(line)
        size += len(line) + 1
    return ("\n".join(lines) + "\n").encode()[:n]

def log_text(r, n, t0):
    lines, size, t = [], 0, t0
    while size < n:
        t += r.expovariate(40.0)
        s = int(t)
        ts = "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (1 + s // 2592000 % 12, 1 + s // 86400 % 28, s // 3600 % 24,
                                                     s // 60 % 60, s % 60, int(t * 1000) % 1000)
        line = (f"{ts} {r.choice(LEVELS):5} [{r.choice(WORDS)}-{r.randint(1, 16)}] "
                f"{r.choice(WORDS)}.{ident(r)}: {' '.join(r.choices(WORDS, WEIGHTS, k=r.randint(2, 9)))} "
                f"id={r.getrandbits(48):012x} bytes={r.randint(0, 1 << 24)} took={r.randint(0, 5000)}ms")
        lines.append(line)
        size += len(line) + 1
    return ("\n".join(lines) + "\n").encode()[:n]

def access_text(r, n):
    lines, size, t = [], 0, 0.0
    while size < n:
        t += r.expovariate(80.0)
        s = int(t)
        line = (f"10.{r.randint(0, 3)}.{r.randint(0, 255)}.{r.randint(1, 254)} - - "
                f"[{1 + s // 86400 % 28:02d}/Mar/2024:{s // 3600 % 24:02d}:{s // 60 % 60:02d}:{s % 60:02d} +0000] "
                f"\"{r.choice(['GET', 'GET', 'GET', 'POST', 'PUT'])} /{r.choice(WORDS)}/{ident(r)}?id={r.randint(1, 99999)} HTTP/1.1\" "
                f"{r.choice([200, 200, 200, 200, 304, 404, 500])} {r.randint(100, 90000)} \"-\" \"client/{r.randint(1, 9)}.{r.randint(0, 20)}\"")
        lines.append(line)
        size += len(line) + 1
    return ("\n".join(lines) + "\n").encode()[:n]

def json_text(r, n):
    lines, size, i = [], 0, 0
    while size < n:
        i += 1
        line = ('{"id":%d,"name":"%s","owner":"%s","size":%d,"ratio":%.4f,"active":%s,"tags":["%s","%s"],"mtime":%d}'
                % (i, ident(r), r.choice(WORDS), r.randint(0, 1 << 30), r.random(), r.choice(["true", "false"]),
                   r.choice(WORDS), r.choice(WORDS), EPOCH - r.randint(0, 1 << 25)))
        lines.append(line)
        size += len(line) + 1
    return ("\n".join(lines) + "\n").encode()[:n]

def csv_text(r, n):
    lines, size, i = ["id,date,account,category,amount,balance,note"], 0, 0
    bal = 10000.0
    while size < n:
        i += 1
        amt = round(r.gauss(0, 250), 2)
        bal += amt
        line = (f"{i},2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d},ACC{r.randint(1000, 1099)},"
                f"{r.choice(WORDS)},{amt:.2f},{bal:.2f},{r.choice(WORDS)} {r.choice(WORDS)}")
        lines.append(line)
        size += len(line) + 1
    return ("\n".join(lines) + "\n").encode()[:n]

def gzip_n(data):
    return subprocess.run(["gzip", "-n", "-6", "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout

def sizes(r, budget, lo, hi):
    """Log-uniform file sizes in [lo, hi] until budget is used; at least one file."""
    out_sizes, used = [], 0
    while used < budget:
        s = min(int(lo * (hi / lo) ** r.random()), budget - used)
        s = max(s, 1)
        out_sizes.append(s)
        used += s
    return out_sizes

index = 0
def nxt():
    global index
    index += 1
    return index

# src/: many small source-like files in nested directories.
r = random.Random(1)
exts = [".java", ".java", ".java", ".c", ".h", ".py", ".md"]
for i, n in enumerate(sizes(r, total * 25 // 100, 512, 48 * 1024)):
    ext = r.choice(exts)
    leaf = i // 8    # eight files per leaf directory, leaves spread over 6 x 10 x 10 directories
    rel = f"src/module{leaf % 6}/{WORDS[leaf // 6 % 10]}/{WORDS[20 + leaf // 60 % 10]}/{ident(r, 2)}{i}{ext}"
    write(rel, code_text(random.Random(1000 + i), n, ext), nxt())

# logs/: two large logs and rotated ones.
logs = total * 30 // 100
write("logs/app.log", log_text(random.Random(2), logs * 40 // 100, 0.0), nxt())
write("logs/access.log", access_text(random.Random(3), logs * 30 // 100), nxt())
r = random.Random(4)
for i, n in enumerate(sizes(r, logs - logs * 70 // 100, 64 * 1024, 4 * 1024 * 1024)):
    write(f"logs/rotated/app.log.{i + 1}", log_text(random.Random(400 + i), n, 1e6 * (i + 1)), nxt())

# data/: JSON lines and CSV.
data = total * 10 // 100
r = random.Random(5)
for i, n in enumerate(sizes(r, data, 16 * 1024, 8 * 1024 * 1024)):
    if i % 2 == 0:
        write(f"data/json/export-{i:03d}.json", json_text(random.Random(500 + i), n), nxt())
    else:
        write(f"data/csv/ledger-{i:03d}.csv", csv_text(random.Random(500 + i), n), nxt())

# archive/: gzip -n of generated logs; text compresses about 4x, so generate 4x the target.
r = random.Random(6)
for i, n in enumerate(sizes(r, total * 10 // 100, 256 * 1024, 6 * 1024 * 1024)):
    write(f"archive/{2020 + i % 5}/app-{i:03d}.log.gz", gzip_n(log_text(random.Random(600 + i), 4 * n, 5e6 * i)), nxt())

# blobs/: random binary, two large and many small.
blobs = total * 25 // 100
write("blobs/disk-a.bin", random.Random(7).randbytes(blobs * 35 // 100), nxt())
write("blobs/disk-b.bin", random.Random(8).randbytes(blobs * 25 // 100), nxt())
r = random.Random(9)
kinds = [("photos", ".jpg"), ("photos", ".jpg"), ("packages", ".zip"), ("objects", ".bin")]
for i, n in enumerate(sizes(r, blobs - blobs * 60 // 100, 8 * 1024, 1024 * 1024)):
    d, ext = kinds[i % len(kinds)]
    write(f"blobs/{d}/{i // 50:02d}/item-{i:04d}{ext}", random.Random(900 + i).randbytes(n), nxt())

for root, dirs, _ in os.walk(out):
    for d in dirs:
        p = os.path.join(root, d)
        os.chmod(p, 0o755)
        stats["dirs"] += 1
# Directory mtimes last: writing files into them changed them.
for root, dirs, _ in os.walk(out, topdown=False):
    for d in dirs:
        os.utime(os.path.join(root, d), (EPOCH, EPOCH))
os.chmod(out, 0o755)
os.utime(out, (EPOCH, EPOCH))

b, z = stats["bytes"], stats["z1"]
print(f"tree: {out}: {stats['files']} files, {stats['dirs']} dirs, {b} bytes ({b / 1048576:.1f} MiB), "
      f"zlib -1 estimate {z} bytes ({z / b:.2f} of original)")
PY
