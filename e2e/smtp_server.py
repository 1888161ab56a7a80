"""A real SMTP server for the browser tests: aiosmtpd on loopback, offering STARTTLS with a
certificate made for the run and requiring AUTH over it, keeping what it receives in memory."""
import email
import email.policy
import os
import subprocess
import tempfile
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME = "lantern"
PASSWORD = "smtp-test-password"


class Inbox:
    def __init__(self):
        self.lock = threading.Lock()
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.received.append({"to": list(envelope.rcpt_tos), "from": envelope.mail_from, "subject": message["Subject"],
                                  "body": message.get_content(), "tls": session.ssl is not None,
                                  "authenticated": session.authenticated})
        return "250 Message accepted"

    def wait_for(self, predicate, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                found = [m for m in self.received if predicate(m)]
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no such email within {timeout} s; received: {[m['subject'] for m in self.received]}")


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USERNAME.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


class LoopbackSMTPServer:
    """Start, stop and start again on the same port, as a mail server that goes down."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="lantern-smtp-")
        self.cert = os.path.join(self.folder, "cert.pem")
        self.key = os.path.join(self.folder, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.key, "-out", self.cert,
                        "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                       check=True, capture_output=True)
        self.password_file = os.path.join(self.folder, "password")
        with open(self.password_file, "w") as f:
            f.write(PASSWORD + "\n")
        self.inbox = Inbox()
        self.port = None
        self.controller = None

    def start(self):
        import socket
        import ssl
        if self.port is None:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.port = s.getsockname()[1]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, server_hostname="localhost",
                                     tls_context=context, require_starttls=True, authenticator=authenticate,
                                     auth_required=True, auth_require_tls=True)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def lantern_environment(self):
        return {"LANTERN_SMTP_HOST": "localhost", "LANTERN_SMTP_PORT": str(self.port), "LANTERN_SMTP_SECURITY": "starttls",
                "LANTERN_SMTP_USERNAME": USERNAME, "LANTERN_SMTP_PASSWORD_FILE": self.password_file,
                "LANTERN_SMTP_CA_FILE": self.cert, "LANTERN_MAIL_FROM": "lantern@demo.lantern.example", "LANTERN_MAIL_SECONDS": "1"}
