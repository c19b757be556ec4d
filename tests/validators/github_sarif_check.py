#!/usr/bin/env python3
"""Port of ../shared/validators/github_sarif_check.py, kept in the repository so that a
user's clone (which has no ../shared) runs it too. Additions for maa: the region fields
GitHub's docs mark required (startColumn, endLine, endColumn) are checked, and so are
results' levels.

Check SARIF files against GitHub code-scanning ingestion requirements that the
OASIS JSON schema does not enforce (source: github/docs
content/code-security/reference/code-scanning/sarif-files/sarif-support.md and
the 2024-05-06 changelog on combining runs). Run the schema check separately
(check-jsonschema --schemafile sarif-schema-2.1.0.json FILE).

usage: github_sarif_check.py FILE.sarif [...]   exit 0 = ok, 1 = errors (warnings don't fail)
"""
import gzip, json, re, sys

LEVELS = {"note", "warning", "error"}
PRECISION = {"very-high", "high", "medium", "low"}
PROBLEM_SEV = {"error", "warning", "recommendation"}

def text(o, key):
    v = (o or {}).get(key) or {}
    return v.get("text") if isinstance(v, dict) else None

def check(path):
    errs, warns = [], []
    raw = open(path, "rb").read()
    if len(gzip.compress(raw)) > 10 * 1024 * 1024:
        errs.append("gzip-compressed size > 10 MB")
    log = json.loads(raw)
    if not log.get("$schema"):
        errs.append("$schema missing (GitHub marks it required)")
    if log.get("version") != "2.1.0":
        errs.append(f"version must be 2.1.0, got {log.get('version')!r}")
    runs = log.get("runs") or []
    if len(runs) > 20:
        errs.append(f"{len(runs)} runs > 20")
    seen = set()
    for i, run in enumerate(runs):
        p = f"runs[{i}]"
        drv = (run.get("tool") or {}).get("driver") or {}
        if not drv.get("name"):
            errs.append(f"{p}.tool.driver.name missing/empty")
        cat = ((run.get("automationDetails") or {}).get("id") or "").rpartition("/")[0]
        key = (drv.get("name"), cat)
        if key in seen:
            errs.append(f"{p}: another run has the same tool {key[0]!r} and category {cat!r} (upload fails since June 2025)")
        seen.add(key)
        rules = drv.get("rules")
        if rules is None:
            errs.append(f"{p}.tool.driver.rules[] missing (GitHub marks it required)")
        rules = rules or []
        if len(rules) > 25000:
            errs.append(f"{p}: {len(rules)} rules > 25000")
        ids = set()
        for j, rule in enumerate(rules):
            q = f"{p}.tool.driver.rules[{j}]"
            if not rule.get("id"):
                errs.append(f"{q}.id missing/empty")
            ids.add(rule.get("id"))
            for k in ("shortDescription", "fullDescription", "help"):
                t = text(rule, k)
                if not t:
                    errs.append(f"{q}.{k}.text missing/empty (GitHub marks it required)")
                elif k != "help" and len(t) > 1024:
                    errs.append(f"{q}.{k}.text longer than 1024 chars")
            if len(rule.get("name") or "") > 255:
                errs.append(f"{q}.name longer than 255 chars")
            lvl = (rule.get("defaultConfiguration") or {}).get("level")
            if lvl is not None and lvl not in LEVELS:
                errs.append(f"{q}.defaultConfiguration.level {lvl!r} not in {sorted(LEVELS)}")
            props = rule.get("properties") or {}
            if "precision" in props and props["precision"] not in PRECISION:
                warns.append(f"{q}.properties.precision {props['precision']!r} not in {sorted(PRECISION)}")
            if "problem.severity" in props and props["problem.severity"] not in PROBLEM_SEV:
                warns.append(f"{q}.properties.problem.severity not in {sorted(PROBLEM_SEV)}")
            if "security-severity" in props:
                s = props["security-severity"]
                if not isinstance(s, str) or not re.fullmatch(r"\d+(\.\d+)?", s) or float(s) > 10:
                    errs.append(f"{q}.properties.security-severity must be a string number 0.0-10.0, got {s!r}")
            if len(props.get("tags") or []) > 20:
                errs.append(f"{q}.properties.tags has more than 20 entries")
        results = run.get("results")
        if results is None:
            errs.append(f"{p}.results[] missing (GitHub marks it required)")
        results = results or []
        if len(results) > 25000:
            errs.append(f"{p}: {len(results)} results > 25000")
        for j, res in enumerate(results):
            q = f"{p}.results[{j}]"
            rid = res.get("ruleId") or (res.get("rule") or {}).get("id")
            if not rid:
                errs.append(f"{q}: no ruleId (alerts cannot be filtered/tracked by rule)")
            elif rid not in ids:
                errs.append(f"{q}: ruleId {rid!r} not defined in tool.driver.rules")
            if res.get("level") is not None and res["level"] not in LEVELS | {"none"}:
                errs.append(f"{q}.level {res['level']!r} not in {sorted(LEVELS | {'none'})}")
            if not text(res, "message"):
                errs.append(f"{q}.message.text missing/empty")
            locs = res.get("locations") or []
            if not locs:
                errs.append(f"{q}: no locations[] (GitHub cannot display the alert)")
            elif len(locs) > 1000:
                errs.append(f"{q}: {len(locs)} locations > 1000")
            for k, loc in enumerate(locs[:1]):
                pl = loc.get("physicalLocation")
                if not pl:
                    errs.append(f"{q}.locations[{k}].physicalLocation missing")
                    continue
                uri = (pl.get("artifactLocation") or {}).get("uri") or ""
                if not uri:
                    errs.append(f"{q}.locations[{k}]: artifactLocation.uri missing/empty")
                elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) or uri.startswith("/"):
                    errs.append(f"{q}.locations[{k}]: absolute uri {uri!r}; GitHub wants a path relative to the repo root")
                elif "\\" in uri or uri.startswith("./") or "/../" in f"/{uri}":
                    errs.append(f"{q}.locations[{k}]: uri {uri!r} must use '/' and no './' or '..'")
                reg = pl.get("region") or {}
                sl = reg.get("startLine")
                if not isinstance(sl, int) or sl < 1:
                    errs.append(f"{q}.locations[{k}].region.startLine must be an integer >= 1")
                if "startColumn" in reg and (not isinstance(reg["startColumn"], int) or reg["startColumn"] < 1):
                    errs.append(f"{q}.locations[{k}].region.startColumn must be >= 1")
                if isinstance(sl, int) and isinstance(reg.get("endLine"), int) and reg["endLine"] < sl:
                    errs.append(f"{q}.locations[{k}].region.endLine < startLine")
                for field in ("startColumn", "endLine", "endColumn"):
                    if not isinstance(reg.get(field), int) or reg[field] < 1:
                        errs.append(f"{q}.locations[{k}].region.{field} missing or < 1 (GitHub's docs mark it required)")
                if reg.get("endLine") == sl and isinstance(reg.get("endColumn"), int) and isinstance(reg.get("startColumn"), int) \
                        and reg["endColumn"] <= reg["startColumn"]:
                    errs.append(f"{q}.locations[{k}].region is empty (endColumn <= startColumn on one line)")
            if not (res.get("partialFingerprints") or {}).get("primaryLocationLineHash"):
                warns.append(f"{q}: no partialFingerprints.primaryLocationLineHash (needed for API uploads; upload-sarif action computes it)")
    return errs, warns

rc = 0
for path in sys.argv[1:]:
    try:
        errs, warns = check(path)
    except (OSError, ValueError) as e:
        errs, warns = [f"cannot read: {e}"], []
    for w in warns:
        print(f"WARN {path}: {w}")
    for e in errs:
        print(f"FAIL {path}: {e}")
    if not errs:
        print(f"ok   {path}")
    rc |= bool(errs)
sys.exit(rc)
