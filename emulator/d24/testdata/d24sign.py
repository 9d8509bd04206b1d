#!/usr/bin/env python3
"""Independent D24 signer: reads JSON lines {"kind","key",...} and prints one signature per line.

kind "deposit": key, x_date, x_login, body  -> lowercase hex HMAC-SHA256(key, x_date + x_login + body)
                (deposits, card deposits, refunds, subscriptions, KYC; with the cashout API key as
                x_login and the cashout API Signature as key: bank-account and Pix validation)
kind "payload": key, body                   -> lowercase hex HMAC-SHA256(key, body)
kind "control": key, external_id            -> UPPER hex HMAC-SHA256(key, "Be4" + external_id + "Bo7")
"""
import hashlib
import hmac
import json
import sys

for line in sys.stdin:
    req = json.loads(line)
    key = req["key"].encode("utf-8")
    if req["kind"] == "deposit":
        msg = (req["x_date"] + req["x_login"] + req["body"]).encode("utf-8")
        print(hmac.new(key, msg, hashlib.sha256).hexdigest())
    elif req["kind"] == "payload":
        print(hmac.new(key, req["body"].encode("utf-8"), hashlib.sha256).hexdigest())
    elif req["kind"] == "control":
        msg = ("Be4" + req["external_id"] + "Bo7").encode("utf-8")
        print(hmac.new(key, msg, hashlib.sha256).hexdigest().upper())
