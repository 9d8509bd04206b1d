#!/usr/bin/env python3
"""Reference cv-auth signer, written from the Difitek (Crowd Valley) SDKs'
algorithm independently of the Go implementation.

usage: cvauth.py API_KEY API_SECRET USERNAME PASSWORD NONCE CREATED
       cvauth.py --nonce-from-bytes HEX
       cvauth.py --created-from-iso 2024-01-02T03:04:05.678Z
       cvauth.py --batch   (one tab-separated argument list per stdin line)
Prints the cv-auth header value (or the nonce / Created value).
"""
import base64
import datetime
import hashlib
import sys

ALPHABET = "123456789abcdefghijklmnopqrstuvwxyz"


def nonce_from_bytes(raw: bytes) -> str:
    chars = "".join(ALPHABET[b % 35] for b in raw)
    return hashlib.md5(chars.encode("ascii")).hexdigest()


def created_from_iso(iso: str) -> str:
    t = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ")
    return t.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"


def header(api_key, secret, username, password, nonce, created):
    digest = base64.b64encode(hashlib.sha1((nonce + created + secret).encode("utf-8")).digest()).decode()
    key = secret.encode("utf-8")
    pw = bytes(b ^ key[i % len(key)] for i, b in enumerate(password.encode("utf-8")))
    return ('AuthToken ApiKey="%s", TokenDigest="%s", Nonce="%s", Created="%s", Username="%s", Password="%s"'
            % (api_key, digest, nonce, created, username, base64.b64encode(pw).decode()))


def main(argv):
    if len(argv) == 2 and argv[1] == "--batch":
        for line in sys.stdin:
            line = line.rstrip("\n")
            if line and main([argv[0]] + line.split("\t")) != 0:
                return 2
        return 0
    if len(argv) == 3 and argv[1] == "--nonce-from-bytes":
        print(nonce_from_bytes(bytes.fromhex(argv[2])))
    elif len(argv) == 3 and argv[1] == "--created-from-iso":
        print(created_from_iso(argv[2]))
    elif len(argv) == 7:
        print(header(*argv[1:]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
