#!/usr/bin/env python3
"""Helper of run-upstream-suite.sh: splits a runtests.py --always-log output into per-test logs and
prints the stock-vs-jrsync table.

  upstream_report.py split RUN_DIR          RUN_DIR/runtests.out -> RUN_DIR/tests/*.log, results.txt
  upstream_report.py table LOGS MODE...     reads LOGS/<impl>-<mode>/results.txt, prints the table
"""
import os
import re
import sys

RESULT = re.compile(r'^(PASS|FAIL|SKIP|XFAIL) +(\S+)(?: \((.*)\))?$')
LOG_START = re.compile(r'^----- (\S+) log follows$')
PEER_ARGV = re.compile(r'^\d\d:\d\d:\d\d\.\d+ pid=\d+ ')
# Lines worth showing as the one-line hint for a failing test, best first; then the first line of the
# test's own log (usually its test_fail() message).
HINTS = [
    re.compile(r'TIMEOUT: test took over'),
    re.compile(r'unknown option|not supported|does not support|unsupported', re.I),
    re.compile(r'^@ERROR|cannot apply yet|refusing module'),
]


def split(run_dir):
    out = os.path.join(run_dir, 'runtests.out')
    tests_dir = os.path.join(run_dir, 'tests')
    peer_dir = os.path.join(run_dir, 'peer')
    os.makedirs(tests_dir, exist_ok=True)
    results = []
    buf = []
    with open(out, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            m = RESULT.match(line)
            if m:
                outcome, name, why = m.group(1).lower(), m.group(2), m.group(3) or ''
                text = buf + [line]
                stderr = []
                peer = os.path.join(peer_dir, name + '.peer.log')
                if os.path.isfile(peer):
                    with open(peer, errors='replace') as p:
                        record = p.read().rstrip().split('\n')
                    text.append(f'----- {name} daemon wrapper record (argv of each peer invocation, daemon stderr)')
                    text.extend(record)
                    stderr = [l for l in record if not PEER_ARGV.match(l)]
                with open(os.path.join(tests_dir, name + '.log'), 'w') as t:
                    t.write('\n'.join(text) + '\n')
                note = why if outcome in ('pass', 'skip') else hint(buf + stderr)
                results.append((name, outcome, ' '.join(note.split())))
                buf = []
            elif LOG_START.match(line) or buf:
                buf.append(line)
    with open(os.path.join(run_dir, 'results.txt'), 'w') as r:
        for name, outcome, note in results:
            r.write(f'{name}\t{outcome}\t{note}\n')
    counts = {k: sum(1 for _, o, _ in results if o == k) for k in ('pass', 'fail', 'skip', 'xfail')}
    print(f"   {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped"
          + (f", {counts['xfail']} xfailed" if counts['xfail'] else '') + f" ({len(results)} tests)")


def hint(lines):
    body = [l for l in lines if l.strip() and not l.startswith('----- ') and not RESULT.match(l)]
    for pat in HINTS:
        for l in body:
            if pat.search(l):
                return l.strip()[:160]
    return body[0].strip()[:160] if body else ''



def load(logs, impl, mode):
    path = os.path.join(logs, f'{impl}-{mode}', 'results.txt')
    if not os.path.isfile(path):
        return None
    res = {}
    with open(path) as f:
        for line in f:
            name, outcome, note = (line.rstrip('\n').split('\t') + ['', ''])[:3]
            res[name] = (outcome, note)
    return res


def fmt(res):
    if res is None:
        return 'not run'
    c = {k: sum(1 for o, _ in res.values() if o == k) for k in ('pass', 'fail', 'skip', 'xfail')}
    s = f"{c['pass']}/{c['fail']}/{c['skip']}"
    if c['xfail']:
        s += f" (+{c['xfail']} xfail)"
    return s + f" of {len(res)}"


def table(logs, modes):
    print()
    print(f"{'mode':<6} | {'stock pass/fail/skip':<24} | {'jrsync pass/fail/skip':<24}")
    print(f"{'-' * 6}-+-{'-' * 24}-+-{'-' * 24}")
    runs = {}
    for mode in modes:
        runs[mode] = (load(logs, 'stock', mode), load(logs, 'jrsync', mode))
        print(f"{mode:<6} | {fmt(runs[mode][0]):<24} | {fmt(runs[mode][1]):<24}")
    for mode in modes:
        stock, jr = runs[mode]
        if stock is None or jr is None:
            continue
        lost = [n for n in sorted(stock) if stock[n][0] == 'pass' and jr.get(n, ('missing', ''))[0] != 'pass']
        print(f"\n{mode}: {len(lost)} test(s) pass with stock and not with jrsync"
              f" (logs: {os.path.join(logs, 'jrsync-' + mode, 'tests')}/<test>.log)")
        for n in lost:
            o, note = jr.get(n, ('missing', ''))
            print(f"  {n:<48} {o:<5} {note}")
        gained = [n for n in sorted(jr) if jr[n][0] == 'pass' and stock.get(n, ('missing', ''))[0] != 'pass']
        if gained:
            print(f"{mode}: {len(gained)} test(s) pass with jrsync and not with stock:")
            for n in gained:
                print(f"  {n:<48} stock {stock.get(n, ('missing', ''))[0]}: {stock.get(n, ('', ''))[1]}")
    print(f"\nlogs: {logs}")


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == 'split':
        split(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == 'table':
        table(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
