"""Large posts cannot exhaust the server's memory: a post that cannot carry a valid token is
refused before its body is read; an upload is read as it arrives, its token checked from its
first part before any file is stored, and each file sealed a chunk at a time, so memory stays
flat whatever the file's size."""
import glob
import http.client
import os
import re
import subprocess
import threading
import urllib.parse

import pytest

from conftest import start_server, stop_server

MIB = 1 << 20


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1)) // 1024


def form_token(host, port):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/report")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    conn.close()
    return cookie, token


def post_file(host, port, size, cookie, results, index):
    """Streams a multipart body of one file of `size` bytes, and no token, without holding it."""
    boundary = "lanternboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"big.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    try:
        conn = http.client.HTTPConnection(host, port, timeout=120)
        conn.putrequest("POST", "/report")
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(len(head) + size + len(tail)))
        if cookie:
            conn.putheader("Cookie", cookie)
        conn.endheaders()
        conn.send(head)
        first = b"%PDF-1.4\n" + b"\0" * (MIB - 9)
        chunk = b"\0" * MIB
        for i in range(size // MIB):
            conn.send(first if i == 0 else chunk)
        conn.send(tail)
        response = conn.getresponse()
        results[index] = response.status
        response.read()
    except (BrokenPipeError, ConnectionResetError, http.client.HTTPException, OSError):
        results[index] = "closed"


def flood(host, port, cookie, count=16, size=120 * MIB):
    results = [None] * count
    threads = [threading.Thread(target=post_file, args=(host, port, size, cookie, results, i)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


REPORT = [("relationship", "public_named"), ("immediate_danger", "no"), ("subject", "person"),
          ("who", "A man at the car wash"), ("age", "adult"), ("child_involved", "no"), ("location", "Mill Lane"),
          ("description", "He sleeps on site and is never paid."), ("anonymous", "yes")]


def test_sixteen_large_anonymous_posts_keep_memory_bounded():
    url, proc, data = start_server()
    try:
        parts = urllib.parse.urlparse(url)
        host, port = parts.hostname, parts.port
        base = peak_rss_mib(proc.pid)
        # Over the public report's 50 MB: refused on Content-Length, before a byte is read.
        no_token = flood(host, port, cookie=None)
        cookie, _ = form_token(host, port)
        with_cookie = flood(host, port, cookie=cookie)
        # Under it, with a visitor's valid form cookie but no token in the form: refused when the
        # file part starts, before anything is stored.
        within = flood(host, port, cookie=cookie, size=45 * MIB)
        peak = peak_rss_mib(proc.pid)
        print(f"16 x 120 MiB anonymous posts, twice, then 16 x 45 MiB: peak {peak} MiB (started at {base} MiB); "
              f"without a token {sorted(map(str, no_token))}; with a form cookie {sorted(map(str, with_cookie))}; "
              f"45 MiB {sorted(map(str, within))}")
        assert all(r in (403, 413, "closed") for r in no_token + with_cookie + within), (no_token, with_cookie, within)
        assert peak < 300, f"peak resident memory {peak} MiB"
        # The server still answers.
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("GET", "/health")
        assert conn.getresponse().status == 200
    finally:
        stop_server(proc, data)


def fresh_postgres_database():
    """A new database on the test PostgreSQL, so the server's memory holds no database cache."""
    base = os.environ.get("LANTERN_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("LANTERN_TEST_POSTGRES_URL is not set (scripts/test sets it)")
    parts = urllib.parse.urlparse(base)
    name = f"lantern_upload_{os.getpid()}"
    createdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/createdb"))[-1]
    subprocess.run([createdb, "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username, name], check=True)
    return parts._replace(path="/" + name).geturl(), name, parts


def test_genuine_uploads_keep_memory_flat_whatever_the_file_size():
    """Reports with 1, 20 and twice 20 MiB of files: the server's peak memory does not follow
    the files' size, because a file is never held whole (on PostgreSQL, so no database cache
    lives in the server's own memory)."""
    database, name, parts = fresh_postgres_database()
    url, proc, data = start_server({"DATABASE_URL": database})
    try:
        host, port = urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port
        peaks = []
        for sizes in ([1], [1], [20], [20, 20]):
            cookie, token = form_token(host, port)
            status = post_report(host, port, [s * MIB for s in sizes], cookie, token)
            assert status == 200, (sizes, status)
            peaks.append(peak_rss_mib(proc.pid))
        print(f"peak resident memory after reports with 1, 1, 20 and 2 x 20 MiB of files: {peaks} MiB")
        # Past the first reports (which warm up the server), 40 MiB of files move the peak by
        # far less than one file.
        assert peaks[3] - peaks[1] < 10, peaks
    finally:
        stop_server(proc, data)
        dropdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/dropdb"))[-1]
        subprocess.run([dropdb, "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username, name], check=False)


def post_report(host, port, sizes, cookie, token):
    """A public report with files of `sizes` bytes, streamed without being held."""
    boundary = "lanternboundary"
    head = b""
    for name, value in [("_csrf", token)] + REPORT:
        head += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
    parts = [(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"f{i}.pdf\"\r\n"
              "Content-Type: application/pdf\r\n\r\n").encode() for i in range(len(sizes))]
    tail = f"--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection(host, port, timeout=120)
    conn.putrequest("POST", "/report")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(head) + sum(len(p) + s + 2 for p, s in zip(parts, sizes)) + len(tail)))
    conn.putheader("Cookie", cookie)
    conn.endheaders()
    conn.send(head)
    for part, size in zip(parts, sizes):
        conn.send(part)
        conn.send(b"%PDF-1.4\n" + b"\1" * (MIB - 9))
        for _ in range(size // MIB - 1):
            conn.send(b"\1" * MIB)
        conn.send(b"\r\n")
    conn.send(tail)
    response = conn.getresponse()
    response.read()
    return response.status
