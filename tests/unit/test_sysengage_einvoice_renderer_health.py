import http.server
import threading

from sysengage_einvoice_tools.renderer_health import (
    PROBE_BODY,
    PROBE_FOOTER,
    PROBE_HEADER,
    parse_version,
    probe_findings,
    url_answers,
)


def test_version_and_patched_qt():
    assert parse_version("wkhtmltopdf 0.12.6.1 (with patched qt)\n") == ("0.12.6.1", True)
    assert parse_version("wkhtmltopdf 0.12.6\n") == ("0.12.6", False)
    assert parse_version("command not found") == ("", False)


def test_probe_findings_read_the_page_texts():
    patched = [f"{PROBE_HEADER}\nSome {PROBE_BODY} text\n{PROBE_FOOTER}"]
    assert probe_findings(patched) == {"header": True, "text_layer": True, "footer": True}
    # Debian's build: no header nor footer, and the web font drawn as paths (no text)
    assert probe_findings([""]) == {"header": False, "text_layer": False, "footer": False}
    # extraction may cut words anywhere
    assert probe_findings(["sgprobe body", PROBE_FOOTER.upper()])["text_layer"] is True


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_url_answers_live_and_closed():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ico")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert url_answers(f"http://127.0.0.1:{server.server_port}/") == (True, "")
    finally:
        server.shutdown()
        server.server_close()
    ok, reason = url_answers(f"http://127.0.0.1:{_free_port()}", timeout=2)
    assert not ok and "refused" in reason.lower()
    assert url_answers("") == (False, "no address configured")
