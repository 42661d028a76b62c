# SPDX-License-Identifier: GPL-2.0-or-later
"""The plugin registers what the README documents, derived from one table."""
import glob
import json
import os
import re
import subprocess

from conftest import BUILD, CAPTURES, REPO


def readme():
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        return f.read()


def reference():
    with open(os.path.join(REPO, "doc", "reference.md"), encoding="utf-8") as f:
        return f.read()


def reference_rows():
    """Expert field -> (severity, group), as doc/reference.md says."""
    rows = {}
    for m in re.finditer(r"^\| `[^`]+` \| `(tcpdiag\.[a-z]+\.[a-z0-9_]+)` \| (\w+) \| (\w+) \|",
                         reference(), re.M):
        rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def test_reference_is_generated_from_the_table():
    gen = subprocess.run([os.path.join(BUILD, "td-reference")], capture_output=True,
                         text=True, check=True).stdout
    assert gen == reference(), \
        "doc/reference.md is stale: build/td-reference > doc/reference.md"
    assert "(doc/reference.md)" in readme()


def expert_names(tshark):
    """Wireshark's own names of expert severities and groups (-G values)."""
    names = {"_ws.expert.severity": {}, "_ws.expert.group": {}}
    for line in tshark.run(["-G", "values"]).stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0] == "V" and parts[1] in names:
            names[parts[1]][parts[2]] = parts[3]
    return names


def raised_experts(tshark, capture):
    """(expert field, severity, group) of every tcpdiag expert item tshark
    raises on a capture (-2, JSON), the numbers as Wireshark registered them."""
    # A copy the unprivileged tshark can read (the clone may be in /root).
    out = tshark.run(["-r", tshark.path(capture), "-2", "-T", "json", "-J", "tcpdiag"]).stdout
    found = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "_ws.expert" and isinstance(v, dict):
                    ours = [f for f in v if f.startswith("tcpdiag.")]
                    if ours:
                        found.append((ours[0], v.get("_ws.expert.severity"), v.get("_ws.expert.group")))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(json.loads(out))
    return found


def test_reference_matches_what_tshark_registers_and_shows(tshark):
    """The severity and group the reference gives each expert item are the
    ones tshark shows for it (not the same map read twice): every tcpdiag
    expert item raised on the sample captures is checked."""
    names = expert_names(tshark)
    assert names["_ws.expert.group"].get("150994944") == "Protocol"
    rows = reference_rows()
    assert len(rows) > 40
    seen = {}
    captures = sorted(glob.glob(os.path.join(CAPTURES, "*.pcapng")))
    assert len(captures) > 40
    for cap in captures:
        for field, sev, grp in raised_experts(tshark, cap):
            shown = (names["_ws.expert.severity"].get(sev), names["_ws.expert.group"].get(grp))
            assert field in rows, f"{field} (raised on {cap}) is not in doc/reference.md"
            assert rows[field] == shown, \
                f"{field} on {os.path.basename(cap)}: tshark shows {shown}, the reference says {rows[field]}"
            seen[field] = shown
    # The sample captures raise most of the table, both fixed rows among them.
    assert seen.get("tcpdiag.event.data_after_fin") == ("Warning", "Protocol")
    assert seen.get("tcpdiag.event.segment_after_rst") == ("Warning", "Protocol")
    assert len(seen) >= 30, sorted(seen)


def test_every_field_is_documented(tshark):
    out = tshark.run(["-G", "fields"]).stdout
    names = [l.split("\t")[2] for l in out.splitlines()
             if l.startswith("F\t") and "\ttcpdiag\t" in l]
    fields = [n for n in names if not n.startswith(("tcpdiag.diag.", "tcpdiag.event."))]
    assert "tcpdiag.client_state" in fields and "tcpdiag.outcome" in fields
    # Expert fields are documented in the reference, the others in the README.
    text = readme() + reference()
    missing = [n for n in fields if f"`{n}`" not in text]
    assert not missing, f"fields in neither the README nor doc/reference.md: {missing}"


def test_expert_fields_match_the_table(tshark):
    out = tshark.run(["-G", "fields"]).stdout
    # Expert items are registered as fields without a value (FT_NONE).
    ours = {l.split("\t")[2] for l in out.splitlines()
            if l.startswith("F\t") and l.split("\t")[2].startswith("tcpdiag.")
            and l.split("\t")[3] == "FT_NONE"}
    documented = set(re.findall(r"`(tcpdiag\.(?:diag|event|rst|finding)\.[a-z0-9_]+)` \|", reference()))
    assert "tcpdiag.diag.syn_unanswered" in ours
    assert "tcpdiag.rst.likely_forged" in ours
    assert ours == documented


def test_field_descriptions_list_the_table(tshark):
    """The fields whose values are tokens of the table describe every value
    (made from the table, not written out)."""
    blurb = {l.split("\t")[2]: l.split("\t")[7] for l in tshark.run(["-G", "fields"]).stdout.splitlines()
             if l.startswith("F\t") and l.split("\t")[2].startswith("tcpdiag.")}
    ref = reference()
    section = lambda title: ref.split(title)[1].split("\n## ")[0]
    outcomes = re.findall(r"^\| `([a-z0-9-]+)` \|", section("## Outcomes"), re.M)
    findings = re.findall(r"^\| `([a-z0-9-]+)` \|", section("## Capture-wide findings"), re.M)
    levels = re.findall(r"^\| `([a-z0-9-]+)` \|", section("## Reset assessments"), re.M)
    assert len(outcomes) > 25 and len(findings) >= 8 and len(levels) == 4
    for field, tokens in (("tcpdiag.outcome", outcomes), ("tcpdiag.finding", findings),
                          ("tcpdiag.reset_assessment", levels), ("tcpdiag.rst.assessment", levels)):
        listed = blurb[field].split(": ", 1)[1]
        assert all(re.search(rf"(^|, ){re.escape(t)}(,|$| \()", listed) for t in tokens), (field, listed)


def test_preference_is_registered(tshark):
    out = tshark.run(["-G", "defaultprefs"]).stdout
    assert "#tcpdiag.answer_wait_ms: 3000" in out
