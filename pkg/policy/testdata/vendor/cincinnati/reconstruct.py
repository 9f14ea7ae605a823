#!/usr/bin/env python3
"""Reconstruct a Cincinnati update graph (the JSON the update service's
/graph API serves) for one channel from a checkout of
openshift/cincinnati-graph-data. The service builds its edges from the
release payloads' upgrade metadata, which the repository does not hold, so
this is an approximation, labelled as such in the output:

  nodes  the channel's versions of its own minor and the one before it
         (channels/NAME.yaml), ascending
  edges  every ascending pair whose minor is the same or one above (the
         payloads accept updates from earlier patches and the previous minor)
  conditionalEdges
         the pairs a blocked-edges/*.yaml entry matches (its `to`, its
         `from` regular expression over the whole version), with the entry's
         risk (name, message, url, matchingRules); such pairs leave `edges`,
         as in the service's answer

usage: reconstruct.py REPO_DIR CHANNEL COMMIT > graph.json
"""
import json
import re
import sys
from pathlib import Path

import yaml


def key(v):
    core, _, pre = v.partition("-")
    return tuple(int(x) for x in core.split(".")), pre == "", pre


def main():
    repo, channel, commit = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    versions = yaml.safe_load((repo / "channels" / (channel + ".yaml")).read_text())["versions"]
    minor = int(channel.rsplit(".", 1)[1])
    nodes = sorted((v for v in versions if "-" not in v and int(v.split(".")[1]) >= minor - 1), key=key)
    index = {v: i for i, v in enumerate(nodes)}
    risks = {}  # (from, to) -> [risk]
    for f in sorted((repo / "blocked-edges").glob("*.yaml")):
        b = yaml.safe_load(f.read_text())
        if b.get("to") not in index or "name" not in b:
            continue
        pat = re.compile(b["from"])
        for u in nodes:
            if key(u) < key(b["to"]) and (pat.fullmatch(u) or pat.fullmatch(u + "+amd64")):
                risks.setdefault((u, b["to"]), []).append(
                    {"url": b.get("url", ""), "name": b["name"], "message": b.get("message", ""),
                     "matchingRules": b.get("matchingRules", [])})
    edges, cond = [], {}
    for i, u in enumerate(nodes):
        for v in nodes[i + 1:]:
            if int(v.split(".")[1]) - int(u.split(".")[1]) > 1:
                break
            if (u, v) in risks:
                k = json.dumps(risks[(u, v)], sort_keys=True)
                cond.setdefault(k, []).append({"from": u, "to": v})
            else:
                edges.append([index[u], index[v]])
    meta = {"io.openshift.upgrades.graph.release.channels": channel,
            "reconstructed-from": "openshift/cincinnati-graph-data@" + commit}
    out = ['{', '  "nodes": [']
    out.append(",\n".join('    ' + json.dumps({"version": v, "payload": "quay.io/openshift-release-dev/ocp-release:" + v + "-x86_64", "metadata": meta}) for v in nodes))
    out += ['  ],', '  "edges": [']
    out.append(",\n".join('    ' + json.dumps(e) for e in edges))
    out += ['  ],', '  "conditionalEdges": [']
    parts = []
    for k, es in cond.items():
        parts.append('    {\n      "edges": [\n' + ",\n".join('        ' + json.dumps(e) for e in es) +
                     '\n      ],\n      "risks": [\n' + ",\n".join('        ' + json.dumps(r) for r in json.loads(k)) + '\n      ]\n    }')
    out.append(",\n".join(parts))
    out += ['  ]', '}']
    print("\n".join(out))


if __name__ == "__main__":
    main()
