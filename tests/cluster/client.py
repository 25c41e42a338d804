"""An HTTP client for the cluster's servers: a reader, or a staff member filling in forms.

Forms are read from the page and posted back the way a browser submits them (every field
the page holds, its CSRF token included, plus the edits), so the checks go through the same
views and validation as a person would. Cookies are kept by name; their Secure flag is
ignored because the cluster speaks plain HTTP on loopback where a CDN would terminate TLS.
"""

import json
import mimetypes
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django_otp.oath import totp


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    url: str

    @property
    def text(self):
        return self.body.decode(errors="replace")

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def request(url, *, data=None, headers=None, method=None, timeout=30):
    """One HTTP request; any status is an answer, redirects are not followed."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"the checks talk to the cluster on loopback only, not {url}")
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)  # noqa: S310
    try:
        with _opener.open(req, timeout=timeout) as answer:
            return Response(answer.status, _headers(answer), answer.read(), url)
    except urllib.error.HTTPError as error:
        return Response(error.code, _headers(error), error.read(), url)


def _headers(message):
    merged = {}
    for name, value in message.headers.items():
        name = name.lower()
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    merged["set-cookie-list"] = message.headers.get_all("Set-Cookie") or []
    return merged


def get(url, **options):
    return request(url, **options)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list = field(default_factory=list)  # (name, value): a browser's successful controls


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._select, self._option, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                Form(
                    attrs.get("action", ""),
                    attrs.get("method", "get").lower(),
                    attrs.get("enctype", "application/x-www-form-urlencoded"),
                )
            )
        elif not self.forms or "disabled" in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"} or "name" not in attrs:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.forms[-1].fields.append(
                (attrs["name"], attrs.get("value", "on" if kind in {"checkbox", "radio"} else ""))
            )
        elif tag == "select" and "name" in attrs:
            self._select = [attrs["name"], "multiple" in attrs, [], None]
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, ""]
        elif tag == "textarea" and "name" in attrs:
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            value = text.strip() if value is None else value
            if self._select[3] is None:
                self._select[3] = value
            if selected:
                self._select[2].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, chosen, first = self._select
            if not chosen and not multiple and first is not None:
                chosen = [first]
            self.forms[-1].fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.forms[-1].fields.append((name, text.removeprefix("\n")))
            self._textarea = None


def forms_of(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _multipart(fields, files):
    boundary = "----cluster" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, content) in files.items():
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(
        parts
    ) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class StaffClient:
    """A signed-in member of staff on one server (sessions live in the shared database, so
    the same cookie works on every app server)."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def _send(self, path, **options):
        url = path if path.startswith("http") else self.base + path
        headers = options.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = request(url, headers=headers, **options)
        for cookie in answer.headers["set-cookie-list"]:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    def get(self, path):
        return self._send(path)

    def submit(self, path, changes=None, files=None, form_index=None):
        """Open `path`, fill in its form with `changes` and submit it as a browser would."""
        page = self.get(path)
        assert page.status == 200, (path, page.status, page.text[:500])
        changes = dict(changes or {})
        forms = [f for f in forms_of(page.text) if f.method == "post"]
        if form_index is not None:
            form = forms[form_index]
        else:  # the page's own form: not the header's logout, and the one holding the edits
            forms = [f for f in forms if not f.action.endswith("/logout/")]
            holding = [f for f in forms if set(changes) & {name for name, _v in f.fields}]
            form = (holding or forms)[-1 if not holding else 0]
        fields = [(name, value) for name, value in form.fields if name not in changes]
        fields += list(changes.items())
        action = urllib.parse.urljoin(page.url, form.action or page.url)
        headers = {"Origin": self.base, "Referer": page.url}
        if files or form.enctype == "multipart/form-data":
            body, content_type = _multipart(fields, files or {})
        else:
            body, content_type = (
                urllib.parse.urlencode(fields).encode(),
                ("application/x-www-form-urlencoded"),
            )
        headers["Content-Type"] = content_type
        return self._send(action, data=body, headers=headers, method="POST")

    def sign_in(self, username, password, totp_key_hex):
        answer = self.submit(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        assert answer.status == 302, answer.text[:2000]
        answer = self.get("/admin/")
        if answer.status == 302 and "/staff/two-factor/" in answer.header("location"):
            code = f"{totp(bytes.fromhex(totp_key_hex)):06d}"
            answer = self.submit(answer.header("location"), {"token": code})
            assert answer.status == 302, answer.text[:2000]
            answer = self.get("/admin/")
        assert answer.status == 200, (answer.status, answer.header("location"))
        return self


def wait_until(check, timeout, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{message} not met within {timeout} s")


def max_ages(cache_control):
    return {name: int(value) for name, value in re.findall(r"([a-z-]+)=(\d+)", cache_control)}


def shell(cluster, code):
    """Run `code` in `manage.py shell` with the app servers' settings; its last printed
    line is JSON. For the rows a check starts from; what it proves goes through HTTP."""
    output = cluster.manage("shell", "-c", code)
    return json.loads(output.strip().splitlines()[-1])
