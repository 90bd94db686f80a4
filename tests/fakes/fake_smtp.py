#!/usr/bin/env python3
"""A local SMTP server for paperboy's mail tests, on Debian's aiosmtpd (run it with
/usr/bin/python3, whose package it is).

  --portfile F   write the chosen port (127.0.0.1, port 0) to F, atomically
  --spool DIR    each accepted message as DIR/N.eml, its envelope as DIR/N.json
                 ({"from": ..., "rcpt": [...]})
  --user U --password P
                 AUTH PLAIN/LOGIN required before MAIL (535 5.7.8 on a bad login, 530
                 without one), allowed in clear because the server is on loopback
  --reject ADDR  RCPT TO this address is answered 550 5.1.1, as a real server answers
                 a mailbox that does not exist (repeatable)
  --max-size N   SIZE: messages larger than N bytes are refused (552)
  --starttls DIR offer STARTTLS (and require it before AUTH and MAIL) with a self-signed
                 certificate for 127.0.0.1 made at start with /usr/bin/openssl, written
                 to DIR/cert.pem for the client to trust
  --tempfail N   the first N RCPT TO are answered 451 4.7.1 (greylisting), then as usual

SIGTERM/SIGINT exit 0.
"""
import argparse
import json
import os
import signal
import ssl
import subprocess
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Spool:
    def __init__(self, folder, reject, tempfail=0):
        self.folder = folder
        self.reject = {a.lower() for a in reject}
        self.tempfail = tempfail
        self.lock = threading.Lock()
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            busy = self.tempfail > 0
            self.tempfail -= busy
        if busy:
            return "451 4.7.1 <%s>: Recipient address rejected: greylisted, try again" % address
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            n = self.n
        base = os.path.join(self.folder, str(n))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "rcpt": envelope.rcpt_tos,
                       "auth": bool(session.authenticated),
                       "tls": session.ssl is not None}, f)
        return "250 2.0.0 Ok: queued as %d" % n


class PortZeroController(Controller):
    """aiosmtpd checks its server by connecting to self.port, which is 0 until the socket is
    bound: learn the port first."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def self_signed(folder):
    """A certificate for 127.0.0.1 (CN and subjectAltName), valid a day: an SSLContext."""
    os.makedirs(folder, exist_ok=True)
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--portfile", required=True)
    ap.add_argument("--spool", required=True)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--reject", action="append", default=[])
    ap.add_argument("--max-size", type=int, default=35 * 1024 * 1024)
    ap.add_argument("--starttls", metavar="DIR")
    ap.add_argument("--tempfail", type=int, default=0)
    args = ap.parse_args()
    # AUTH in clear is what this loopback server is for; aiosmtpd warns about it on stderr.
    warnings.simplefilter("ignore")
    import logging
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    os.makedirs(args.spool, exist_ok=True)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and args.user is not None and
              auth_data.login.decode() == args.user and
              auth_data.password.decode() == args.password)
        return AuthResult(success=ok, handled=False)

    kwargs = {"data_size_limit": args.max_size}
    if args.user:
        kwargs.update(authenticator=authenticate, auth_required=True,
                      auth_require_tls=bool(args.starttls))
    if args.starttls:
        kwargs.update(tls_context=self_signed(args.starttls), require_starttls=True)
    controller = PortZeroController(Spool(args.spool, args.reject, args.tempfail),
                                    hostname="127.0.0.1", port=0, **kwargs)
    controller.start()
    port = controller.server.sockets[0].getsockname()[1]
    tmp = args.portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, args.portfile)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
