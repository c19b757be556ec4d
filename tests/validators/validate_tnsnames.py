#!/usr/bin/env python3
"""Validate every alias of tnsnames.ora files offline with python-oracledb (thin mode).

usage: validate_tnsnames.py PATH/tnsnames.ora [...]
Prints one JSON object per alias on stdout:
  {"file", "alias", "hosts", "ports", "protocols", "service", "retry_count", "retry_delay",
   "tcp_connect_timeout", "connect_string"}
and one line "FAIL <file>: <problem>" per problem. Exit 0 = no problem, 1 = problems.

python-oracledb's parser is lenient (an extra ')' silently truncates a descriptor, a
missing '=' drops the alias, misspelled keywords and duplicate aliases pass), so a
structural pre-scan (balanced parentheses, 'ALIAS =' heads, no trailing text) and a
keyword whitelist run first. Adapted from the maa project's validator notes.
"""
import json, os, re, sys
import oracledb  # thin mode: no Oracle Client, no database

KNOWN = set("""DESCRIPTION_LIST DESCRIPTION ADDRESS_LIST ADDRESS PROTOCOL HOST PORT KEY
HTTPS_PROXY HTTPS_PROXY_PORT CONNECT_DATA SERVICE_NAME SID SERVER INSTANCE_NAME
FAILOVER_MODE TYPE METHOD RETRIES DELAY BACKUP GLOBAL_NAME POOL_CONNECTION_CLASS
POOL_PURITY POOL_BOUNDARY POOL_NAME COLOCATION_TAG SHARDING_KEY SUPER_SHARDING_KEY
CONNECTION_ID_PREFIX SECURITY SSL_SERVER_CERT_DN SSL_SERVER_DN_MATCH MY_WALLET_DIRECTORY
WALLET_LOCATION SSL_VERSION CONNECT_TIMEOUT RETRY_COUNT RETRY_DELAY TRANSPORT_CONNECT_TIMEOUT
RECV_TIMEOUT LOAD_BALANCE FAILOVER SOURCE_ROUTE ENABLE EXPIRE_TIME SDU TDU SEND_BUF_SIZE
RECV_BUF_SIZE USE_SNI USE_TCP_FAST_OPEN TOKEN_AUTH TOKEN_LOCATION""".split())
NAME_RE = re.compile(r"\s*([A-Za-z0-9][\w.\-]*(?:\s*,\s*[A-Za-z0-9][\w.\-]*)*)\s*=\s*$")


def scan(text):
    """Split into (aliases, body, line) entries; report parenthesis/structure errors."""
    text = re.sub(r"#[^\n]*", "", text)
    entries, errors, depth, start, head, line, head_line = [], [], 0, 0, "", 1, 1
    for i, ch in enumerate(text):
        if ch == "\n":
            line += 1
        if ch == "(":
            if depth == 0:
                m = NAME_RE.match(text[start:i])
                if not m:
                    errors.append(f"line {line}: expected 'ALIAS =' before '(' got {text[start:i].strip()!r}")
                head, head_line, start = (m.group(1) if m else ""), line, i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                errors.append(f"line {line}: unbalanced ')' (extra closing parenthesis)")
                depth = 0
            elif depth == 0:
                names = [n.strip().upper() for n in head.split(",") if n.strip()]
                entries.append((names, text[start:i + 1], head_line))
                start = i + 1
        elif depth > 0 and ch == "\n" and re.match(r"[A-Za-z0-9][\w.\-]*\s*=\s*\(", text[i + 1:]):
            errors.append(f"line {line}: new alias while {depth} '(' still open (missing ')')")
    if depth > 0:
        errors.append(f"end of file: {depth} unclosed '('")
    if text[start:].strip():
        errors.append(f"trailing text not in any descriptor: {text[start:].strip()[:60]!r}")
    return entries, errors


def as_list(v):
    return v if isinstance(v, list) else [v]


def check_file(path):
    with open(path, encoding="utf-8") as f:
        entries, problems = scan(f.read())
    seen = {}
    for names, body, line in entries:
        for kw in re.findall(r"\(\s*([A-Za-z_]+)\s*=", body):
            if kw.upper() not in KNOWN:
                problems.append(f"{names}: line {line}: unknown keyword {kw}")
        for n in names:
            if n in seen:
                problems.append(f"{n}: line {line}: duplicate alias (first at line {seen[n]})")
            seen[n] = line
    cfg = os.path.dirname(os.path.abspath(path))
    listed = {n.upper() for n in oracledb.ConnectParams(config_dir=cfg).get_network_service_names()}
    for alias in seen:
        if alias not in listed:
            problems.append(f"{alias}: not found by oracledb")
            continue
        p = oracledb.ConnectParams(config_dir=cfg)
        try:
            p.parse_connect_string(alias)
        except oracledb.Error as e:
            problems.append(f"{alias}: {str(e).splitlines()[0]}")
            continue
        if not p.service_name and not p.sid:
            problems.append(f"{alias}: no SERVICE_NAME/SID in CONNECT_DATA")
        hosts = as_list(p.host)
        if not all(hosts):
            problems.append(f"{alias}: address without HOST")
        print(json.dumps({
            "file": path, "alias": alias, "hosts": hosts, "ports": as_list(p.port),
            "protocols": as_list(p.protocol), "service": p.service_name,
            "retry_count": p.retry_count, "retry_delay": p.retry_delay,
            "tcp_connect_timeout": p.tcp_connect_timeout,
            "connect_string": p.get_connect_string(),
        }, sort_keys=True))
    return problems


rc = 0
for path in sys.argv[1:]:
    try:
        probs = check_file(path)
    except (OSError, oracledb.Error) as e:
        probs = [str(e).splitlines()[0]]
    for pr in probs:
        print(f"FAIL {path}: {pr}")
    rc |= bool(probs)
sys.exit(rc)
