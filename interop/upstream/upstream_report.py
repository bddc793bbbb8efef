#!/usr/bin/env python3
"""Helper of run-upstream-suite.sh: splits a runtests.py --always-log output into per-test logs and
prints the stock-vs-jrsync table.

  upstream_report.py split RUN_DIR          RUN_DIR/runtests.out -> RUN_DIR/tests/*.log, results.txt
  upstream_report.py table LOGS MODE...     reads LOGS/<impl>-<mode>/results.txt, prints the table
  upstream_report.py causes RUN_DIR [STOCK_RUN_DIR]
                                            groups RUN_DIR's failures (those of tests the stock run
                                            passed, if given) by a first-guess root cause, with one
                                            example command and its evidence per group
  upstream_report.py nondaemon SRC [GLOB...] names the tests runtests.py's --daemon-tests-only drops
                                            (mode binary's set), one a line, narrowed to GLOBs
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
                    text.append(f'----- {name} wrapper record (argv of each wrapped rsync invocation, daemon stderr)')
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


UNKNOWN = re.compile(r"Unknown options?: ((?:'[^']*'(?: \(while processing option: '[^']*'\))?(?:, )?)+)")
QUOTED = re.compile(r"'([^']*)'(?: \(while processing option: '[^']*'\))?")
SHORT_WITH_ARG = {'-f', '-e', '-T', '-B', '-M', '-@'}
NOT_YET = re.compile(r'does not support (\S+) yet')
CRASH = re.compile(r'Exception in thread|^\s*at (dev\.jrsync|java\.)|\b(java|dev\.jrsync)\.[\w.$]*(Exception|Error)\b')
RSYNC_EXITED = re.compile(r'rsync exited (\d+): (.*)')
VV = re.compile(r'rsync exited \d+: \S+ -VV$')


def refused_options(text):
    """The options an "Unknown option(s): ..." message names, reduced to the option itself
    (--foo=bar -> --foo; a short-option bundle -Hvv -> -H; the value after -f dropped)."""
    opts = []
    for m in UNKNOWN.finditer(text):
        prev = ''
        for tok in QUOTED.findall(m.group(1)):
            if prev in SHORT_WITH_ARG:
                prev = ''
                continue
            o = tok.split('=', 1)[0] if tok.startswith('--') else tok[:2]
            if o not in opts:
                opts.append(o)
            prev = o
    return opts


def test_body(run_dir, name):
    path = os.path.join(run_dir, 'tests', name + '.log')
    with open(path, errors='replace') as f:
        return f.read().split('\n')


def classify(lines):
    """(group key, evidence lines) for one failing test's log."""
    text = '\n'.join(lines)
    body = [l for l in lines if l.strip() and not l.startswith('----- ') and not RESULT.match(l)
            and not PEER_ARGV.match(l)]
    if 'TIMEOUT: test took over' in text:
        return 'timeout', [l for l in body if 'TIMEOUT' in l][:1]
    crash = [l for l in body if CRASH.search(l)]
    if crash:
        first = next((l for l in crash if 'Exception' in l or 'Error' in l), crash[0]).strip()
        return 'crash: ' + first[:120], crash[:8]
    if any(VV.search(l) for l in body) or 'should be specified only once' in text:
        return "refused -VV (rsync -VV: option '--version' should be specified only once)", \
            [l for l in body if VV.search(l)][:1]
    opts = refused_options(text)
    if opts:
        return 'refused option ' + opts[0], [l for l in body if 'Unknown option' in l][:2]
    m = re.search(r"Expected parameter for option '([^']*)' but found '[^']*'", text)
    if m:
        return f'option parsing: {m.group(1)} refuses a value that starts with "-"', \
            [l for l in body if 'Expected parameter' in l][:1]
    m = NOT_YET.search(text)
    if m:
        return f'server refuses {m.group(1)} ("does not support {m.group(1)} yet")', \
            [l for l in body if 'does not support' in l][:2]
    return 'other: ' + (body[0].strip()[:100] if body else '(empty log)'), body[:12]


def causes(run_dir, stock_dir=None):
    res = load_dir(run_dir)
    stock = load_dir(stock_dir) if stock_dir else None
    # Failures; with a stock run, every test stock passes and jrsync does not (a skip included).
    failed = [n for n, (o, _) in sorted(res.items())
              if (o in ('fail', 'xfail') and stock is None)
              or (stock is not None and o != 'pass' and stock.get(n, ('', ''))[0] == 'pass')]
    groups = {}
    need = {}
    for name in failed:
        lines = test_body(run_dir, name)
        key, evidence = classify(lines)
        if res[name][0] == 'skip':
            key = 'skipped (stock passes): ' + key
        groups.setdefault(key, []).append((name, evidence, lines))
        for o in refused_options('\n'.join(lines)):
            need.setdefault(o, []).append(name)
    scratch = os.path.join(run_dir, 'scratch', 'testtmp') + '/'
    print(f'{len(failed)} failing test(s)' + (' that stock passes' if stock else '')
          + f' in {len(groups)} group(s); logs {run_dir}/tests/<test>.log')
    for key, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        name, evidence, lines = members[0]
        cmd = next((m.group(2) for l in lines for m in [RSYNC_EXITED.search(l)] if m), None)
        if cmd is None:
            argv = [l.split(': ', 1)[1] for l in lines if PEER_ARGV.match(l) and ' client: ' in l]
            cmd = ('rsync ' + argv[-1]) if argv else '?'
        print(f'\n== {key} ({len(members)} test(s))')
        print('   tests: ' + ' '.join(n for n, _, _ in members))
        print(f'   e.g. {name}: {cmd.replace(scratch, "$T/")[:300]}')
        for l in evidence:
            print('     | ' + l.replace(scratch, '$T/')[:200])
    if need:
        print('\nrefused options, by the number of failing tests naming them (a test can name several):')
        for o, names in sorted(need.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f'  {o:<24} {len(names):>3}  {" ".join(names[:8])}{" ..." if len(names) > 8 else ""}')


def load_dir(run_dir):
    res = {}
    with open(os.path.join(run_dir, 'results.txt')) as f:
        for line in f:
            name, outcome, note = (line.rstrip('\n').split('\t') + ['', ''])[:3]
            res[name] = (outcome, note)
    return res


def nondaemon(src, patterns):
    """The complement of runtests.py's own select_daemon_tests(), asked of the tree's runtests.py so
    the two sets cannot drift apart."""
    sys.path[:0] = [src, os.path.join(src, 'testsuite')]
    import runtests  # noqa: E402 -- the rsync tree's runner; main() only runs as __main__
    tests = runtests.collect_tests(os.path.join(src, 'testsuite'), patterns)
    _, dropped = runtests.select_daemon_tests(tests)
    for path in dropped:
        print(runtests._testbase(path))


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == 'split':
        split(sys.argv[2])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == 'causes':
        causes(*sys.argv[2:])
    elif len(sys.argv) >= 3 and sys.argv[1] == 'nondaemon':
        nondaemon(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) >= 4 and sys.argv[1] == 'table':
        table(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
