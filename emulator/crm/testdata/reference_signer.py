#!/usr/bin/env python3
"""Reference signer for the CRM Open API, written from the published docs.

Usage: reference_signer.py MODE KEY < body
       reference_signer.py --batch < JSON array of [mode, key, body] (one answer a line)
  v2       sha256=<lowercase hex HMAC-SHA256(key, raw body)>
  v1       uppercase hex SHA-1 of sorted k=v&... joined with the key appended
  psp      like v1 but empty values and "sign" dropped (PSP Open API)
  webhook  lowercase hex HMAC-SHA256(secret, raw body) (X-Crm-Signature)
"""
import hashlib
import hmac
import json
import sys


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    return v.raw if isinstance(v, Raw) else str(v)


class Raw(str):
    @property
    def raw(self):
        return str(self)


def pairs(body, drop_empty):
    # Top-level numbers keep their literal text; nested values are compact JSON.
    obj = json.loads(body.decode("utf-8"), parse_float=Raw, parse_int=Raw)
    plain = json.loads(body.decode("utf-8"))
    items = []
    for k in sorted(obj.keys()):
        v = text(plain[k] if isinstance(plain[k], (dict, list)) else obj[k])
        if drop_empty and (v == "" or k == "sign"):
            continue
        items.append(k + "=" + v)
    return "&".join(items)


def sign(mode, key, body):
    if mode == "v2":
        return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    if mode == "webhook":
        return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    if mode == "v1":
        return hashlib.sha1((pairs(body, False) + key).encode()).hexdigest().upper()
    if mode == "psp":
        return hashlib.sha1((pairs(body, True) + key).encode()).hexdigest().upper()
    sys.exit("unknown mode " + mode)


def main():
    if sys.argv[1] == "--batch":
        for mode, key, body in json.loads(sys.stdin.buffer.read().decode("utf-8")):
            print(sign(mode, key, body.encode("utf-8")))
        return
    print(sign(sys.argv[1], sys.argv[2], sys.stdin.buffer.read()))


if __name__ == "__main__":
    main()
