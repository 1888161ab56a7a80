"""Sends public reports over plain HTTP, as a browser without JavaScript would: used by the
backup and several-instance tests, which need many reports quickly."""
import http.client
import re
import uuid

REPORT = [("relationship", "public_named"), ("immediate_danger", "no"), ("subject", "person"),
          ("who", "A man at the car wash"), ("age", "adult"), ("child_involved", "no"), ("location", "Mill Lane"),
          ("description", "He sleeps on site and is never paid."), ("anonymous", "yes")]


def send_report(host, port, files=(), timeout=60):
    """Fetches the form, then sends a report with `files` [(name, bytes)]. Returns
    (status, reference, receipt code); reference and code are None unless it was accepted."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", "/report")
        response = conn.getresponse()
        page = response.read().decode()
        cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
        token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        boundary = "lantern" + uuid.uuid4().hex
        body = b""
        for name, value in [("_csrf", token)] + REPORT:
            body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
        for name, content in files:
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"{name}\"\r\n"
                     "Content-Type: application/pdf\r\n\r\n").encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        conn.request("POST", "/report", body=body,
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie})
        response = conn.getresponse()
        answer = response.read().decode()
        if response.status != 200:
            return response.status, None, None
        reference = re.search(r"Reference ([A-Z0-9-]+)", answer).group(1)
        code = re.search(r'id="receipt-code"[^>]*>([0-9-]+)<', answer).group(1)
        return 200, reference, code
    finally:
        conn.close()
