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
stack (tshark and GLib leave allocations at exit that are not ours)."""
import glob
import os
import random
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import CAPTURES, REPO, make_tshark
from test_bad_input import read_pcap, write_all


@pytest.fixture(scope="module")
def san_build():
    """The sanitizer build, in a throw-away folder; its unit tests run."""
    d = tempfile.mkdtemp(prefix="tcpdiag-sanitize-")
    try:
        for cmd in (["cmake", "-S", REPO, "-B", d, "-DTCPDIAG_SANITIZE=ON", "-DCMAKE_BUILD_TYPE=Debug"],
                    ["cmake", "--build", d, "-j", str(os.cpu_count() or 2)]):
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
            assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_unit_tests_under_sanitizers(san_build):
    p = subprocess.run(["ctest", "--output-on-failure"], cwd=san_build, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-2000:]


def runtime_of(plugin):
    """The AddressSanitizer runtime the plugin was linked against."""
    out = subprocess.run(["ldd", plugin], capture_output=True, text=True).stdout
    m = re.search(r"libasan\.so\S*\s+=>\s+(\S+)", out)
    assert m, f"{plugin} is not linked with AddressSanitizer:\n{out}"
    return m.group(1)


@pytest.fixture(scope="module")
def san_tshark(san_build):
    plugin = os.path.join(san_build, "tcpdiag.so")
    logs = tempfile.mkdtemp(prefix="tcpdiag-sanlogs-")
    os.chmod(logs, 0o777)
    env = {"LD_PRELOAD": runtime_of(plugin),
           # Errors stop tshark; its exit status is ours to give: the logs decide.
           # The slow unwinder: GLib has no frame pointers, and a leak made
           # through g_malloc() would show no tcpdiag frame otherwise.
           "ASAN_OPTIONS": f"detect_leaks=1:halt_on_error=1:exitcode=0:log_path={logs}/asan:"
                           "fast_unwind_on_malloc=0:malloc_context_size=30",
           "UBSAN_OPTIONS": f"print_stacktrace=1:halt_on_error=1:log_path={logs}/ubsan",
           "WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1",
           # GLib's slice allocator would hide leaks in its own chunks.
           "G_SLICE": "always-malloc", "G_DEBUG": "gc-friendly",
           # No extcap helpers: they would inherit the preloaded runtime and
           # hang tshark -G (seen with Debian's 4.0.17).
           "WIRESHARK_EXTCAP_DIR": logs}
    t = make_tshark(plugin, env)
    t.logs = logs
    yield t
    shutil.rmtree(t.home, ignore_errors=True)
    shutil.rmtree(logs, ignore_errors=True)


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


def leak_blocks(text):
    """The leak reports of a LeakSanitizer log, one string each."""
    return [b for b in re.split(r"\n(?=(?:Direct|Indirect) leak of )", text)
            if b.startswith(("Direct leak", "Indirect leak"))]


def test_tshark_under_sanitizers(san_tshark, tmp_path):
    t = san_tshark
    for path in inputs(str(tmp_path)):
        copy = t.path(path)
        for args in (["-V"], ["-2", "-V", "-z", "expert"],
                     ["-2", "-T", "fields", "-e", "tcpdiag.summary", "-e", "tcpdiag.finding_text",
                      "-e", "tcpdiag.rst.evidence", "-z", "tcpdiag,conv", "-z", "tcpdiag,sum"]):
            p = t.run(["-r", copy] + args, check=False)
            # UBSan writes to stderr (its log_path is not honoured here).
            assert "runtime error" not in p.stderr, p.stderr[p.stderr.find("runtime error") - 500:][:3000]
            assert p.returncode == 0, f"{os.path.basename(path)} {args}: exit {p.returncode}: " \
                                      f"{p.stderr[-2000:]}"
    asan = sorted(glob.glob(os.path.join(t.logs, "asan.*")))
    # tshark leaves GLib's allocations at exit: LeakSanitizer reports them,
    # which proves it ran.
    assert asan, "no AddressSanitizer log at all: was its runtime loaded?"
    ours = []
    for log in asan:
        text = open(log, errors="replace").read()
        m = re.search(r"ERROR: AddressSanitizer.*", text, re.S)
        assert not m, f"{log}:\n{m.group(0)[:4000]}"
        ours += [b for b in leak_blocks(text) if "tcpdiag" in b or "/plugin/" in b]
    assert not ours, "leaks with a tcpdiag frame:\n" + "\n".join(b[:1500] for b in ours[:5])
