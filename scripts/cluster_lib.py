"""The scale-out of docs/deploy.md on one machine, for scripts/cluster and tests/cluster.

PostgreSQL, Redis and the S3-compatible store (moto's standalone server) are instances of
our own on our own ports, never the machine's shared servers: the checks stop and restart
them. In front, two gunicorn app servers with the production settings, and nginx from
Debian's packages (deploy/nginx.conf) as load balancer and proxy cache.

Everything is fresh at each start (the database is made anew, the store lives in memory);
only the collected static files are kept between runs, like a built image.
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.cluster_services import (
    ROOT,
    ClusterError,
    Ports,
    Service,
    http_status,
    missing_prerequisites,
    nginx_binary,
    port_open,
    postgres_binary,
    unprivileged_user,
    wait_for,
)

PYTHON = sys.executable
BUCKET = "newsroom-media"


class Cluster:
    def __init__(self, base_port=8110, directory=None, *, workers=2, say=print):
        self.ports = Ports(base_port)
        self.dir = Path(directory or ROOT / "var" / "cluster").resolve()
        self.logs = self.dir / "logs"
        self.workers = workers
        self.say = say
        self.services = {}
        self.pg_user = unprivileged_user()
        # PostgreSQL's files where its user can reach them, whatever the checkout's modes.
        self.pg_dir = Path(tempfile.gettempdir()) / f"newsroom-cluster-{self.ports.postgres}"
        self.secret_key = secrets.token_urlsafe(50)

    # --- addresses ---------------------------------------------------------------------

    @property
    def edge(self):
        return f"http://127.0.0.1:{self.ports.edge}"

    @property
    def edge_nocache(self):
        return f"http://127.0.0.1:{self.ports.edge_nocache}"

    def app(self, name):
        return f"http://127.0.0.1:{self.ports.apps[name]}"

    @property
    def s3(self):
        return f"http://127.0.0.1:{self.ports.s3}"

    @property
    def database_url(self):
        return f"postgres://postgres@127.0.0.1:{self.ports.postgres}/newsroom"

    def access_log(self, name):
        return self.logs / f"app-{name}.access.log"

    def app_env(self):
        """The production settings of docs/deploy.md, pointed at this cluster."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTEST", "DJANGO_", "GUNICORN_", "AWS_", "PAGE_CACHE"))
            and key not in {"DATABASE_URL", "REDIS_URL", "MEDIA_URL", "SERVE_MEDIA"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DJANGO_ENV="production",
            SECRET_KEY=self.secret_key,
            # Plain HTTP on loopback: nginx stands where the TLS-terminating CDN would.
            SECURE_SSL_REDIRECT="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.edge,
            CSRF_TRUSTED_ORIGINS=self.edge,
            TRUSTED_PROXY_COUNT="1",
            DATABASE_URL=self.database_url,
            REDIS_URL=f"redis://127.0.0.1:{self.ports.redis}/0",
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_ENDPOINT_URL=self.s3,
            AWS_S3_REGION_NAME="us-east-1",
            # moto takes any credentials; boto3 only needs some to sign with.
            AWS_ACCESS_KEY_ID="cluster",
            AWS_SECRET_ACCESS_KEY="cluster",  # noqa: S106
            NEWSROOM_VAR_DIR=str(self.dir / "app"),
            GUNICORN_WORKERS=str(self.workers),
            PYTHONUNBUFFERED="1",
        )
        return env

    # --- lifecycle ---------------------------------------------------------------------

    def start(self, *, demo=False):
        missing = missing_prerequisites()
        if missing:
            raise ClusterError("missing: " + ", ".join(missing))
        busy = [port for port in self.ports.all() if port_open(port)]
        if busy:
            raise ClusterError(f"ports already in use: {busy} (another cluster running?)")
        self.logs.mkdir(parents=True, exist_ok=True)
        for old in self.logs.glob("*.log"):
            old.unlink()
        try:
            self.start_postgres(fresh=True)
            self.start_redis()
            self.start_s3()
            self.bootstrap(demo=demo)
            for name in self.ports.apps:
                self.start_app(name)
            self.start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        for name in ("nginx", "app-a", "app-b", "s3", "redis", "postgres"):
            service = self.services.pop(name, None)
            if service is not None:
                service.stop()
        shutil.rmtree(self.pg_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _run(self, name, command, **options):
        service = Service(name, command, log=self.logs / f"{name}.log", **options).start()
        self.services[name] = service
        return service

    # --- PostgreSQL --------------------------------------------------------------------

    def start_postgres(self, *, fresh=False):
        data = self.pg_dir / "data"
        if fresh:
            shutil.rmtree(self.pg_dir, ignore_errors=True)
            self.pg_dir.mkdir(mode=0o755, parents=True)
            data.mkdir(mode=0o700)
            if self.pg_user is not None:
                os.chown(data, self.pg_user.pw_uid, self.pg_user.pw_gid)
            subprocess.run(
                [postgres_binary("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                check=True, stdout=subprocess.DEVNULL, cwd=self.pg_dir,
                user=self.pg_user.pw_uid if self.pg_user else None,
                group=self.pg_user.pw_gid if self.pg_user else None,
                extra_groups=[] if self.pg_user else None,
            )  # fmt: skip
        self._run(
            "postgres",
            [postgres_binary("postgres"), "-D", str(data), "-p", str(self.ports.postgres),
             "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
             "-c", "fsync=off", "-c", "max_connections=100"],
            user=self.pg_user,
            cwd=self.pg_dir,  # a folder its user may enter, wherever the checkout lies
            # Fast shutdown: the apps' persistent connections would hold a smart one forever.
            stop_signal=signal.SIGINT,
        )  # fmt: skip
        wait_for(self._postgres_ready, "PostgreSQL")
        if fresh:
            subprocess.run(
                [postgres_binary("createdb"), "-h", "127.0.0.1", "-p", str(self.ports.postgres),
                 "-U", "postgres", "newsroom"],
                check=True,
            )  # fmt: skip

    def _postgres_ready(self):
        result = subprocess.run(
            [
                postgres_binary("pg_isready"),
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports.postgres),
            ],
            check=False,
        )
        return result.returncode == 0

    def stop_postgres(self):
        self.services.pop("postgres").stop()

    def restart_postgres(self):
        self.stop_postgres()
        self.start_postgres()

    # --- Redis and the object store ------------------------------------------------------

    def start_redis(self):
        self._run(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.ports.redis),
             "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        )  # fmt: skip
        wait_for(lambda: port_open(self.ports.redis), "Redis")

    def stop_redis(self):
        self.services.pop("redis").stop()

    def start_s3(self):
        self._run("s3", [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.ports.s3)])
        wait_for(lambda: http_status(self.s3 + "/moto-api/") == 200, "moto (S3)")

    # --- the newsroom ------------------------------------------------------------------

    def manage(self, *args, check=True, input=None):
        """`manage.py ARGS` with the app servers' settings; returns what it printed."""
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.app_env(),
            capture_output=True,
            text=True,
            input=input,
            check=False,
        )
        if check and result.returncode != 0:
            raise ClusterError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def bootstrap(self, *, demo=False):
        self.say("cluster: migrating, creating the bucket and its policy, collecting static files")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("setup_roles")
        self.manage("setup_photo_bucket", "--create")
        self.manage("collectstatic", "--noinput", "-v0")
        if demo:
            self.say("cluster: demo content (photos go to the object store)")
            self.manage("seed_demo")

    def start_app(self, name):
        env = {
            **self.app_env(),
            "GUNICORN_BIND": f"127.0.0.1:{self.ports.apps[name]}",
            "GUNICORN_ACCESS_LOG": str(self.access_log(name)),
        }
        self._run(
            f"app-{name}",
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "newsroom/gunicorn.conf.py",
             "newsroom.wsgi"],
            env=env,
        )  # fmt: skip
        wait_for(lambda: http_status(self.app(name) + "/robots.txt") == 200, f"app server {name}")

    def kill_app(self, name):
        self.services.pop(f"app-{name}").kill()

    def start_nginx(self):
        nginx_dir = self.dir / "nginx"
        run_dir = nginx_dir / "run"
        cache_dir = nginx_dir / "cache"
        shutil.rmtree(cache_dir, ignore_errors=True)  # a new cluster, a cold edge
        run_dir.mkdir(parents=True, exist_ok=True)
        replacements = {
            "@RUN_DIR@": str(run_dir),
            "@LOG_DIR@": str(self.logs),
            "@CACHE_DIR@": str(cache_dir),
            # As root, the workers drop to nobody (nginx makes its folders theirs).
            "@USER_LINE@": "user nobody nogroup;" if os.geteuid() == 0 else "",
            "@EDGE_PORT@": str(self.ports.edge),
            "@EDGE_NOCACHE_PORT@": str(self.ports.edge_nocache),
            "@APP_A_PORT@": str(self.ports.apps["a"]),
            "@APP_B_PORT@": str(self.ports.apps["b"]),
        }
        config = (ROOT / "deploy" / "nginx.conf").read_text()
        for marker, value in replacements.items():
            config = config.replace(marker, value)
        rendered = nginx_dir / "nginx.conf"
        rendered.write_text(config)
        self._run(
            "nginx",
            [nginx_binary(), "-p", str(nginx_dir), "-c", str(rendered), "-e",
             str(self.logs / "nginx-error.log"), "-g", "daemon off;"],
            stop_signal=signal.SIGQUIT,  # graceful: finish the requests in flight
        )  # fmt: skip
        wait_for(lambda: http_status(self.edge + "/robots.txt") == 200, "nginx")

    def django_requests(self):
        """Requests the app servers have answered so far (their access logs' lines)."""
        total = 0
        for name in self.ports.apps:
            path = self.access_log(name)
            if path.exists():
                with open(path, "rb") as log:
                    total += sum(1 for _ in log)
        return total
