"""Large anonymous posts cannot exhaust the server's memory: a post that cannot carry a valid
token is refused before its body is read, and large bodies are taken only while the instance's
budget for them has room (the rest get 503 at once)."""
import http.client
import re
import threading
import urllib.parse

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


def post_zeros(host, port, size, cookie, results, index):
    """Streams a multipart body of `size` bytes without holding it in memory."""
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
        chunk = b"\0" * MIB
        for _ in range(size // MIB):
            conn.send(chunk)
        conn.send(tail)
        results[index] = conn.getresponse().status
    except (BrokenPipeError, ConnectionResetError, http.client.HTTPException, OSError):
        results[index] = "closed"


def flood(host, port, cookie, count=16, size=120 * MIB):
    results = [None] * count
    threads = [threading.Thread(target=post_zeros, args=(host, port, size, cookie, results, i)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


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
        # Under it, with a visitor's valid form cookie: taken only while the budget for large
        # bodies has room, the rest refused at once with 503.
        within = flood(host, port, cookie=cookie, size=45 * MIB)
        peak = peak_rss_mib(proc.pid)
        print(f"16 x 120 MiB anonymous posts, twice, then 16 x 45 MiB: peak {peak} MiB (started at {base} MiB); "
              f"without a token {sorted(map(str, no_token))}; with a form cookie {sorted(map(str, with_cookie))}; "
              f"45 MiB {sorted(map(str, within))}")
        assert all(r in (403, 413, "closed") for r in no_token + with_cookie), (no_token, with_cookie)
        assert 503 in within, within
        assert peak < 300, f"peak resident memory {peak} MiB"
        # The server still answers.
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("GET", "/health")
        assert conn.getresponse().status == 200
    finally:
        stop_server(proc, data)
