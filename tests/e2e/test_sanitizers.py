# SPDX-License-Identifier: GPL-2.0-or-later
"""The plugin built with AddressSanitizer and UndefinedBehaviorSanitizer
(cmake -DTCPDIAG_SANITIZE=ON) inside the real tshark, the sanitizer
runtime preloaded (Debian's tshark is not instrumented: only tcpdiag's
code is checked for memory errors, every allocation for leaks).

Its unit tests pass under the sanitizers, and tshark reads every sample
capture, and damaged copies of them (headers cut, bytes changed, frames
shuffled and duplicated), single pass and -2, printing every item (-V),
expert stats, fields and both tables, with
WIRESHARK_ABORT_ON_DISSECTOR_BUG=1.  No AddressSanitizer error, no
UndefinedBehaviorSanitizer report, and no leak with a tcpdiag frame in its
stack (tshark and GLib leave allocations at exit that are not ours).

The sanitizer build and its tshark (san_build, san_tshark) are session
fixtures of conftest.py, shared with test_fuzz_captures.py."""
import os
import random
import subprocess

from conftest import CAPTURES, sanitizer_reports
from test_bad_input import read_pcap, write_all


def test_unit_tests_under_sanitizers(san_build):
    p = subprocess.run(["ctest", "--output-on-failure"], cwd=san_build, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-2000:]


def inputs(tmp):
    """Every sample capture as one file, and damaged copies of it."""
    pcaps = {}
    for f in sorted(os.listdir(CAPTURES)):
        if f.endswith(".pcapng"):
            dst = os.path.join(tmp, f[:-7] + ".pcap")
            subprocess.run(["editcap", "-F", "pcap", os.path.join(CAPTURES, f), dst], check=True,
                           capture_output=True)
            pcaps[f] = read_pcap(dst)
    rng = random.Random(20261130)
    variants = {"all": lambda recs: recs,
                "cut54": lambda recs: [r[:4] + [r[4][:54]] for r in recs],
                "cut40": lambda recs: [r[:4] + [r[4][:40]] for r in recs]}

    def corrupt(recs):
        out = []
        for r in recs:
            data = bytearray(r[4])
            for _ in range(rng.randint(1, 6)):
                if len(data) > 14:
                    data[rng.randrange(14, len(data))] = rng.randrange(256)
            out.append(r[:4] + [data])
        return out

    def shuffle(recs):
        out = list(recs) + [r for r in recs if rng.random() < 0.5]
        rng.shuffle(out)
        return out

    variants.update(corrupt=corrupt, shuffled=shuffle)
    files = []
    for name, damage in variants.items():
        path = os.path.join(tmp, f"{name}.pcap")
        write_all(path, {c: (h, e, damage([list(r) for r in recs])) for c, (h, e, recs) in pcaps.items()})
        files.append(path)
    return files


def test_tshark_under_sanitizers(san_tshark, tmp_path):
    t = san_tshark
    logs = 0
    for path in inputs(str(tmp_path)):
        copy = t.path(path)
        for args in (["-V"], ["-2", "-V", "-z", "expert"],
                     ["-2", "-T", "fields", "-e", "tcpdiag.summary", "-e", "tcpdiag.finding_text",
                      "-e", "tcpdiag.rst.evidence", "-z", "tcpdiag,conv", "-z", "tcpdiag,sum"]):
            p = t.run(["-r", copy] + args, check=False)
            problems, new_logs = sanitizer_reports(t, [p])
            logs += new_logs
            assert not problems, f"{os.path.basename(path)} {args}:\n" + "\n\n".join(problems)
            assert p.returncode == 0, f"{os.path.basename(path)} {args}: exit {p.returncode}: " \
                                      f"{p.stderr[-2000:]}"
    # tshark leaves GLib's allocations at exit: LeakSanitizer reports them,
    # which proves it ran.
    assert logs, "no AddressSanitizer log at all: was its runtime loaded?"
