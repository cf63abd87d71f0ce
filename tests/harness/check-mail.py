#!/usr/bin/env python3
# Parses one e-mail with Python's email package and checks what rosterd promises about
# every message: CRLF only, lines of at most 998 (in fact 78) characters, Date, Message-ID,
# MIME-Version, a multipart/alternative of text/plain and text/html in UTF-8 with a
# transfer encoding. Prints a JSON summary (decoded headers and parts) for the C test.
# Usage: check-mail.py FILE
import email
import email.policy
import email.utils
import json
import sys


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def main():
    raw = open(sys.argv[1], "rb").read()
    for number, line in enumerate(raw.split(b"\r\n")):
        if b"\n" in line or b"\r" in line:
            fail("bare LF or CR on line %d" % (number + 1))
        if len(line) > 998:
            fail("line %d is %d characters long" % (number + 1, len(line)))
        if len(line) > 78:
            fail("line %d is longer than 78 characters" % (number + 1))
    if not raw.endswith(b"\r\n"):
        fail("the message does not end with CRLF")
    try:
        raw.decode("ascii")
    except UnicodeDecodeError:
        fail("the message is not 7-bit")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if message.defects:
        fail("defects: %r" % message.defects)
    for name in ("Date", "From", "To", "Subject", "Message-ID", "MIME-Version"):
        if message[name] is None:
            fail("no %s header" % name)
    if email.utils.parsedate_to_datetime(str(message["Date"])) is None:
        fail("Date does not parse")
    if message.get_content_type() != "multipart/alternative":
        fail("not multipart/alternative: " + message.get_content_type())
    parts = {}
    for part in message.iter_parts():
        if part.defects:
            fail("part defects: %r" % part.defects)
        if part.get_content_charset() != "utf-8":
            fail("part not UTF-8")
        if part["Content-Transfer-Encoding"] not in ("quoted-printable", "base64"):
            fail("part transfer encoding: %s" % part["Content-Transfer-Encoding"])
        parts[part.get_content_type()] = part.get_content()
    if sorted(parts) != ["text/html", "text/plain"]:
        fail("parts: %r" % sorted(parts))
    to = message["To"].addresses[0]
    sender = message["From"].addresses[0]
    print(json.dumps({
        "date": email.utils.parsedate_to_datetime(str(message["Date"])).isoformat(),
        "messageId": str(message["Message-ID"]),
        "from": sender.addr_spec,
        "fromName": sender.display_name,
        "to": to.addr_spec,
        "toName": to.display_name,
        "subject": str(message["Subject"]),
        "language": str(message["Content-Language"] or ""),
        "text": parts["text/plain"],
        "html": parts["text/html"],
    }))


if __name__ == "__main__":
    main()
