# SPDX-License-Identifier: GPL-2.0-or-later
"""The plugin registers what the README documents, derived from one table."""
import os
import re
import subprocess

from conftest import BUILD, REPO


def readme():
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        return f.read()


def test_readme_reference_is_generated_from_the_table():
    gen = subprocess.run([os.path.join(BUILD, "td-reference")], capture_output=True,
                         text=True, check=True).stdout
    assert gen.strip() in readme(), \
        "README's diagnosis reference is stale: paste the output of build/td-reference"


def test_every_field_is_documented(tshark):
    out = tshark.run(["-G", "fields"]).stdout
    names = [l.split("\t")[2] for l in out.splitlines()
             if l.startswith("F\t") and "\ttcpdiag\t" in l]
    fields = [n for n in names if not n.startswith(("tcpdiag.diag.", "tcpdiag.event."))]
    assert "tcpdiag.client_state" in fields and "tcpdiag.outcome" in fields
    text = readme()
    missing = [n for n in fields if f"`{n}`" not in text]
    assert not missing, f"fields not in the README: {missing}"


def test_expert_fields_match_the_table(tshark):
    out = tshark.run(["-G", "fields"]).stdout
    # Expert items are registered as fields without a value (FT_NONE).
    ours = {l.split("\t")[2] for l in out.splitlines()
            if l.startswith("F\t") and l.split("\t")[2].startswith("tcpdiag.")
            and l.split("\t")[3] == "FT_NONE"}
    gen = subprocess.run([os.path.join(BUILD, "td-reference")], capture_output=True,
                         text=True, check=True).stdout
    documented = set(re.findall(r"`(tcpdiag\.(?:diag|event|rst|finding)\.[a-z0-9_]+)` \|", gen))
    assert "tcpdiag.diag.syn_unanswered" in ours
    assert "tcpdiag.rst.likely_forged" in ours
    assert ours == documented


def test_preference_is_registered(tshark):
    out = tshark.run(["-G", "defaultprefs"]).stdout
    assert "#tcpdiag.answer_wait_ms: 3000" in out
