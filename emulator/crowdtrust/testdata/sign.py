#!/usr/bin/env python3
"""Reference CrowdTrust bacapi request signer, written independently of the
Go code: prints the headers a client sends, one "Name: value" per line.

usage: sign.py METHOD PATH DATE API_KEY SECRET MODE [BODY_FILE]
MODE is raw (HMAC key = the secret string's bytes) or b64 (base64-decoded).
"""
import base64
import hashlib
import hmac
import sys


def main():
    method, path, date, api_key, secret, mode = sys.argv[1:7]
    body = b""
    if len(sys.argv) > 7:
        with open(sys.argv[7], "rb") as f:
            body = f.read()
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode() if body else ""
    ctype = "application/json" if body else ""
    sts = "\n".join([method, md5, ctype, date, path])
    key = secret.encode() if mode == "raw" else base64.b64decode(secret)
    sig = base64.b64encode(hmac.new(key, sts.encode(), hashlib.sha256).digest()).decode()
    print("Date: " + date)
    print("Content-MD5: " + md5)
    if ctype:
        print("Content-Type: " + ctype)
    print("Authorization: " + api_key + ":" + sig)


if __name__ == "__main__":
    main()
