"""Memory of a bulk photo upload: the worker's peak RSS while it takes 20 large PNGs.

Starts gunicorn with the production configuration (as scripts/bench.py does), logs in as
a staff user, POSTs the admin's bulk upload form with `--files` generated PNGs of
`--size`×`--size` pixels (mostly flat colour with a few noise bands, so each is a couple
of hundred KB on disk like the agency files in issue 12, but tens of megapixels decoded),
samples every worker's VmRSS/VmHWM from /proc while the request runs, and writes
bench-results/upload-<time>.txt. Run it with `scripts/bench-upload [--files 20]`.
"""

import argparse
import datetime as dt
import http.cookiejar
import io
import os
import re
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench import Server  # noqa: E402
from scripts.bench_lib import ROOT  # noqa: E402

TARGET_PEAK_MB = 500
USERNAME = "bench-uploader"
PASSWORD = "bench-upload-password-" + "y" * 12


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--size", type=int, default=7600, help="width and height in pixels")
    parser.add_argument("--port", type=int, default=8109)
    parser.add_argument("--label", default="", help="added to the results file name")
    return parser.parse_args()


def configure(args):
    var = ROOT / "var" / "bench-upload"
    var.mkdir(parents=True, exist_ok=True)
    for name in ("DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "PAGE_CACHE", "DEBUG"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "NEWSROOM_VAR_DIR": str(var),
            "DJANGO_ENV": "production",
            "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{args.port}",
            "GUNICORN_BIND": f"127.0.0.1:{args.port}",
            "GUNICORN_ACCESS_LOG": "",
            # One worker takes the request; a long timeout so the code before the fix can
            # finish and be measured rather than killed.
            "GUNICORN_WORKERS": "1",
            "GUNICORN_TIMEOUT": "1800",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
    )
    return var


def large_png(size, seed):
    """A size×size PNG that is small on disk: flat colour with a few bands of noise."""
    from PIL import Image

    image = Image.new("RGB", (size, size), (30 + seed * 9 % 200, 120, 170))
    band = Image.effect_noise((size, 2), 60 + seed).convert("RGB")
    for top in range(size // 8, size, size // 4):
        image.paste(band, (0, top))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def generated_files(var, count, size):
    folder = var / "images"
    folder.mkdir(exist_ok=True)
    files = []
    for n in range(count):
        path = folder / f"large-{size}-{n}.png"
        if not path.exists():
            path.write_bytes(large_png(size, n))
        files.append(path)
    return files


def staff_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    user.set_password(PASSWORD)
    user.is_staff = user.is_superuser = True
    user.save()


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, path in files:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{path.name}"\r\nContent-Type: image/png\r\n\r\n'.encode()
        )
        body.write(path.read_bytes())
        body.write(b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


class PlainHttpCookies(http.cookiejar.DefaultCookiePolicy):
    """Production settings mark the session and CSRF cookies Secure; the benchmark talks
    plain HTTP to 127.0.0.1, so it sends them anyway."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar(policy=PlainHttpCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def csrf_token(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            html = response.read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, path, data, content_type, timeout=1800):
        request = urllib.request.Request(
            self.base + path,
            data=data,
            headers={"Content-Type": content_type, "Referer": self.base + path},
        )
        with self.opener.open(request, timeout=timeout) as response:
            return response.status, response.geturl(), response.read().decode()

    def log_in(self):
        path = "/admin/login/?next=/admin/"
        token = self.csrf_token(path)
        fields = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD}
        ).encode()
        _status, url, _html = self.post(path, fields, "application/x-www-form-urlencoded")
        if "/login/" in url:
            raise RuntimeError("could not log in as the benchmark's staff user")


def cpu_seconds(server):
    """CPU time the workers have used (user + system): the request's cost whatever the load."""
    total = 0
    for pid in server.workers():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def sample_memory(server, stop, samples):
    while not stop.is_set():
        for worker in server.memory():
            samples.append(worker)
        time.sleep(0.05)


def main():
    args = parse_args()
    var = configure(args)

    import django
    from django.core.management import call_command

    django.setup()
    from media.models import Photo

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    staff_user()
    files = generated_files(var, args.files, args.size)
    sizes_kb = [round(path.stat().st_size / 1024) for path in files]
    photos_before = Photo.objects.count()

    log_path = var / "gunicorn.log"
    with open(log_path, "w") as log, Server(args.port, log) as server:
        browser = Browser(server.base)
        browser.log_in()
        path = "/admin/media/photo/bulk-upload/"
        token = browser.csrf_token(path)
        body, content_type = multipart(
            [("csrfmiddlewaretoken", token), ("agency", "PAP"), ("photographer", "Bench")],
            [("images", file) for file in files],
        )
        before = server.memory()
        cpu_before = cpu_seconds(server)
        load = os.getloadavg()
        samples, stop = [], threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(server, stop, samples))
        sampler.start()
        started = time.monotonic()
        try:
            status, url, html = browser.post(path, body, content_type)
        finally:
            seconds = time.monotonic() - started
            stop.set()
            sampler.join()
        after = server.memory()
        cpu = cpu_seconds(server) - cpu_before

    saved = Photo.objects.count() - photos_before
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    peak_rss = max(sample["rss_mb"] for sample in samples + after)
    peak_hwm = max(sample["peak_mb"] for sample in samples + after)
    lines = [
        f"Bulk upload memory benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC",
        f"command: scripts/bench-upload {' '.join(sys.argv[1:])}".rstrip(),
        f"files: {args.files} PNGs of {args.size}x{args.size} px "
        f"({args.size * args.size / 1e6:.1f} MP each), {min(sizes_kb)}-{max(sizes_kb)} KB on disk",
        "server: gunicorn, 1 sync worker, production settings, SQLite, local-memory cache",
        f"response: {status} -> {urllib.parse.urlparse(url).path}; photos saved: {saved}",
        *(f"form error: {re.sub(r'<[^>]+>', ' ', error).strip()}" for error in errors),
        f"worker RSS before the request: {max(w['rss_mb'] for w in before):.0f} MB",
        f"worker peak RSS during the request (sampled every 50 ms): {peak_rss:.0f} MB",
        f"worker peak RSS (VmHWM, kernel high-water mark): {peak_hwm:.0f} MB",
        f"target: under {TARGET_PEAK_MB} MB -> {'met' if peak_hwm < TARGET_PEAK_MB else 'NOT met'}",
        f"time for the request: {seconds:.1f} s (worker CPU time {cpu:.1f} s; "
        f"load average before {load[0]:.1f} on {os.cpu_count()} cores)",
    ]
    report = "\n".join(lines) + "\n"
    print(report, end="")
    results = ROOT / "bench-results"
    results.mkdir(exist_ok=True)
    label = f"-{args.label}" if args.label else ""
    out = results / f"upload-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}{label}.txt"
    out.write_text(report)
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
