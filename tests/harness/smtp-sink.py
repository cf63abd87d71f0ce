#!/usr/bin/env python3
# A real SMTP server on loopback for rosterd's mail tests (aiosmtpd). Every message the
# relay accepts is written atomically to DIR/NNNN.eml (temp file, rename), with the
# envelope in DIR/NNNN.env. Prints the port on the first line of stdout, then serves until
# killed. Usage: smtp-sink.py DIR [PORT]   (PORT 0 or absent: a free one)
import asyncio
import os
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = len([n for n in os.listdir(directory) if n.endswith(".eml")])

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%04d" % self.count)
        with open(base + ".env", "w") as env:
            env.write("%s\n%s\n" % (envelope.mail_from, " ".join(envelope.rcpt_tos)))
        with open(base + ".tmp", "wb") as tmp:
            tmp.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted for delivery"


def main():
    directory = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(directory, exist_ok=True)
    if port == 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port,
                            decode_data=False)
    controller.start()
    print(port, flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
