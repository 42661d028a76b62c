# SPDX-License-Identifier: GPL-2.0-or-later
"""Bad input: truncated, corrupted, reordered, duplicated and midstream
captures give a result and never a crash or a dissector exception.

Each damage is done to every sample capture, and the damaged captures are
read as one file, one after the other: a few tshark runs instead of a few
per capture.  Each capture's times are moved so that all end at the same
instant, so the end of the capture that final verdicts are judged at is
each capture's own end (and times jump back between captures).  The
frames of each capture are known, so what is asserted of one capture is
asserted of its frames; when the file as a whole fails, each capture is
read alone to name the ones that fail."""
import os
import random
import struct
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import CAPTURES

VALID_STATES = {"", "CLOSED", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
                "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"}


def read_pcap(path):
    """Records of a classic pcap file: (header, data)."""
    with open(path, "rb") as f:
        blob = f.read()
    magic = blob[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    recs, off = [], 24
    while off + 16 <= len(blob):
        ts, tsu, incl, orig = struct.unpack(endian + "IIII", blob[off:off + 16])
        recs.append([ts, tsu, incl, orig, bytearray(blob[off + 16:off + 16 + incl])])
        off += 16 + incl
    return blob[:24], endian, recs


def write_pcap(path, head, endian, recs):
    with open(path, "wb") as f:
        f.write(head)
        for ts, tsu, _, orig, data in recs:
            f.write(struct.pack(endian + "IIII", ts, tsu, len(data), max(orig, len(data))))
            f.write(bytes(data))


def usec(rec):
    return rec[0] * 1000000 + rec[1]


def write_all(path, damaged):
    """damaged: {capture: (head, endian, records)}, written one after the
    other into one pcap (all are Ethernet, microsecond pcap as editcap
    wrote them), each capture's times moved so that its latest is the
    latest of all.  Returns {capture: range of its frame numbers}."""
    end = max(usec(r) for _, _, recs in damaged.values() for r in recs)
    ranges, out, head, endian = {}, [], None, None
    for name, (h, e, recs) in damaged.items():
        if head is None:
            head, endian = h, e
        assert (h, e) == (head, endian), f"{name}: another pcap header"
        ranges[name] = range(len(out) + 1, len(out) + len(recs) + 1)
        shift = end - max(usec(r) for r in recs) if recs else 0
        for r in recs:
            t = usec(r) + shift
            out.append([t // 1000000, t % 1000000] + r[2:])
    write_pcap(path, head, endian, out)
    return ranges


def check_all(tshark, path, damaged):
    """run_both_passes on the damaged captures as one file; returns the -2
    rows and each capture's frames.  If that fails, each capture is read
    alone, and the failure names those that fail alone."""
    ranges = write_all(path, damaged)
    try:
        return run_both_passes(tshark, path), ranges
    except AssertionError as whole:
        failing = []
        for name, one in damaged.items():
            alone = path.with_name(f"{path.stem}-{name}.pcap")
            write_pcap(alone, *one)
            try:
                run_both_passes(tshark, alone)
            except AssertionError as e:
                failing.append(f"{name}: {str(e)[:300]}")
        raise AssertionError(f"{path.name} fails; alone: {failing or 'none fails alone'}") from whole


def rows_of(rows, frames):
    return [r for r in rows if int(r["frame.number"]) in frames]


@pytest.fixture(scope="module")
def pcaps(tmp_path_factory):
    """Every sample capture as classic pcap, for byte-level surgery."""
    d = tmp_path_factory.mktemp("pcap")
    out = {}
    for f in sorted(os.listdir(CAPTURES)):
        if f.endswith(".pcapng"):
            dst = d / (f[:-7] + ".pcap")
            subprocess.run(["editcap", "-F", "pcap", os.path.join(CAPTURES, f), str(dst)],
                           check=True, capture_output=True)
            out[f] = dst
    return out


# The tshark runs of one capture go on side by side, a run per CPU.
POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)


def run_both_passes(tshark, path):
    """Fields, and the full tree with expert stats (which format every
    item), single pass and -2; returns the -2 rows (frame.number, the
    states and the outcome)."""
    copy = tshark.path(str(path))  # before the threads: path() records copies
    fields = ["frame.number", "tcpdiag.client_state", "tcpdiag.server_state", "tcpdiag.outcome"]
    runs = [POOL.submit(tshark.fields, str(path), fields, extra=extra) for extra in ([], ["-2"])]
    trees = [POOL.submit(tshark.run, ["-r", copy, "-V", "-q", "-z", "expert"] + extra)
             for extra in ([], ["-2"])]
    for t in trees:
        t.result()
    for run in runs:
        rows = run.result()
        for r in rows:
            assert r["tcpdiag.client_state"] in VALID_STATES, r
            assert r["tcpdiag.server_state"] in VALID_STATES, r
    return rows


@pytest.mark.parametrize("snaplen", [34, 40, 54, 60])
def test_truncated_headers(tshark, pcaps, tmp_path, snaplen):
    damaged = {}
    for name, src in pcaps.items():
        head, endian, recs = read_pcap(src)
        for rec in recs:
            del rec[4][snaplen:]
        damaged[name] = (head, endian, recs)
    rows, ranges = check_all(tshark, tmp_path / f"truncated-{snaplen}.pcap", damaged)
    if snaplen >= 54:
        for name, frames in ranges.items():
            if "v6" not in name and "icmp" not in name:
                # Ethernet, IPv4 and 20 bytes of TCP: enough to follow.
                assert any(r["tcpdiag.client_state"] for r in rows_of(rows, frames)), name


def test_corrupted_bytes(tshark, pcaps, tmp_path):
    rng = random.Random(20261121)
    damaged = {}
    for name, src in pcaps.items():
        head, endian, recs = read_pcap(src)
        for rec in recs:
            data = rec[4]
            for _ in range(rng.randint(1, 6)):
                if len(data) > 14:
                    data[rng.randrange(14, len(data))] = rng.randrange(256)
            if rng.random() < 0.2:
                del data[rng.randrange(14, len(data) + 1):]
        damaged[name] = (head, endian, recs)
    check_all(tshark, tmp_path / "corrupt.pcap", damaged)


def test_reordered_and_duplicated(tshark, pcaps, tmp_path):
    rng = random.Random(7)
    damaged = {}
    for name, src in pcaps.items():
        head, endian, recs = read_pcap(src)
        mixed = recs + [list(r[:4]) + [bytearray(r[4])] for r in recs if rng.random() < 0.5]
        rng.shuffle(mixed)
        damaged[name] = (head, endian, mixed)
    rows, ranges = check_all(tshark, tmp_path / "mixed.pcap", damaged)
    for name, frames in ranges.items():
        assert any(r["tcpdiag.client_state"] for r in rows_of(rows, frames)), name


def test_duplicated_packets_keep_the_outcome(tshark, pcaps, tmp_path):
    """Every packet twice (as two capture points on one path would give):
    the same conversation outcome as the original."""
    head, endian, recs = read_pcap(pcaps["refused-no-listener.pcapng"])
    doubled = [r for rec in recs for r in (rec, list(rec[:4]) + [bytearray(rec[4])])]
    dst = tmp_path / "refused-doubled.pcap"
    write_pcap(dst, head, endian, doubled)
    rows = tshark.fields(str(dst), ["tcpdiag.outcome", "tcpdiag.syn_count"], two_pass=True,
                         dfilter="tcpdiag")
    # A copy of a SYN microseconds later is one SYN captured twice.
    assert {(r["tcpdiag.outcome"], r["tcpdiag.syn_count"]) for r in rows} == {("refused", "1")}


@pytest.mark.parametrize("skip", [1, 2, 3, 8])
def test_capture_starting_late(tshark, pcaps, tmp_path, skip):
    """Cut the first packets of the closes: no false diagnosis."""
    for name in ("normal-close.pcapng", "normal-close-v6.pcapng"):
        dst = tmp_path / f"late-{skip}-{name}.pcap"
        subprocess.run(["editcap", "-r", str(pcaps[name]), str(dst), f"{skip + 1}-1000"],
                       check=True, capture_output=True)
        rows = tshark.fields(str(dst), ["tcpdiag.outcome", "tcpdiag.role_basis"], two_pass=True,
                             dfilter="tcpdiag")
        got = {(r["tcpdiag.outcome"], r["tcpdiag.role_basis"]) for r in rows}
        if skip == 1:
            # Only the SYN is missing: the SYN-ACK still tells the roles.
            assert got == {("closed", "syn-ack")}
        else:
            assert got == {("midstream", "port")}
