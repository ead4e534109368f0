"""The frontend image's nginx configuration served by a real nginx (Debian's build), as the
image's entrypoint would prepare it: the start-up script writes config.js and exports the CSP
origins, envsubst renders the template with the environment's variable names, nginx serves.

Paths the image fixes (/usr/share/nginx/html, /var/lib/app-config, port 8080) are moved into a
temporary directory and a free port; everything else is the committed file.
"""
import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import time

import pytest
import requests

from conftest import ROOT, run

TEMPLATE = ROOT / "docker" / "frontend" / "nginx.conf.template"
CONFIG_SCRIPT = ROOT / "docker" / "frontend" / "10-write-app-config.envsh"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not found:
        pytest.fail("nginx is not installed; .ci/infra/run unpacks Debian's package into .ci/infra/.nginx")
    return found


@pytest.fixture
def site(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    html, app_config = tmp_path / "html", tmp_path / "app-config"
    (html / "assets").mkdir(parents=True)
    app_config.mkdir()
    (html / "index.html").write_text("<!doctype html><title>Interaction Management</title>")
    (html / "assets" / "index-3f2a1b.js").write_text("console.log('app')")
    (html / "assets" / "index-3f2a1b.js.map").write_text('{"version":3,"sourcesContent":["secret source"]}')
    conf = (TEMPLATE.read_text(encoding="utf-8")
            .replace("/var/lib/app-config", str(app_config)).replace("/usr/share/nginx/html", str(html))
            .replace("listen 8080;", f"listen 127.0.0.1:{port};").replace("listen [::]:8080;", ""))
    (tmp_path / "default.conf.template").write_text(conf)
    # Workers run as the test's user, so they may read the temporary directory (as root, nginx would switch to nobody).
    (tmp_path / "nginx.conf").write_text(f"""
user {getpass.getuser()};
pid {tmp_path}/nginx.pid;
error_log stderr;
events {{}}
http {{
    types {{ text/html html; application/javascript js; text/plain txt; }}
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy; fastcgi_temp_path {tmp_path}/fcgi;
    uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/default.conf;
}}
""")
    return tmp_path, port, app_config


def start_script(tmp_path, app_config, **env) -> dict:
    """Source the start-up script as the entrypoint does and return the environment it leaves."""
    result = subprocess.run(
        ["sh", "-ec", f'. "{CONFIG_SCRIPT}" >/dev/null; env -0'], capture_output=True, check=True,
        env={"PATH": os.environ["PATH"], "APP_CONFIG_FILE": str(app_config / "config.js"), **env})
    return dict(item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item)


def render_template(tmp_path, environment: dict) -> None:
    """What the image's 20-envsubst-on-templates.sh does: substitute the defined variables only."""
    names = " ".join(f"${{{name}}}" for name in environment)
    with open(tmp_path / "default.conf.template") as source, open(tmp_path / "default.conf", "w") as target:
        subprocess.run(["envsubst", names], stdin=source, stdout=target, env=environment, check=True)


def wait_for(url: str) -> requests.Response:
    deadline = time.monotonic() + 20
    while True:
        try:
            return requests.get(url, timeout=2)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextlib.contextmanager
def serving(tmp_path):
    server = subprocess.Popen([nginx_binary(), "-p", str(tmp_path), "-e", "stderr", "-c", str(tmp_path / "nginx.conf"),
                               "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_nginx_accepts_the_rendered_configuration(site):
    tmp_path, _port, app_config = site
    render_template(tmp_path, start_script(tmp_path, app_config, REACT_APP_API_URL="https://api.example.com"))
    result = run([nginx_binary(), "-t", "-p", str(tmp_path), "-e", "stderr", "-c", str(tmp_path / "nginx.conf")])
    assert result.returncode == 0, result.stderr


def test_health_is_200_only_once_the_app_can_be_served(site):
    tmp_path, port, app_config = site
    environment = start_script(tmp_path, app_config, REACT_APP_API_URL="https://api.example.com",
                               REACT_APP_AUTH0_DOMAIN="tenant.auth0.com", NODE_ENV="production")
    render_template(tmp_path, environment)
    (app_config / "config.js").unlink()  # as in a fresh container, before the script ran
    base = f"http://127.0.0.1:{port}"
    with serving(tmp_path):
        health = wait_for(f"{base}/health")
        assert health.status_code == 503 and "no runtime configuration" in health.text

        start_script(tmp_path, app_config, REACT_APP_API_URL="https://api.example.com",
                     REACT_APP_AUTH0_DOMAIN="tenant.auth0.com", NODE_ENV="production")
        health = requests.get(f"{base}/health", timeout=5)
        assert (health.status_code, health.text) == (200, "ok\n")

        config = requests.get(f"{base}/config.js", timeout=5)
        assert config.status_code == 200 and '"REACT_APP_API_URL": "https://api.example.com"' in config.text
        assert '"NODE_ENV": "production"' in config.text
        assert "no-store" in config.headers["Cache-Control"]
        page = requests.get(f"{base}/interactions/42/edit", timeout=5)
        assert page.status_code == 200 and "Interaction Management" in page.text
        csp = page.headers["Content-Security-Policy"]
        assert "connect-src 'self' https://api.example.com https://tenant.auth0.com;" in csp
        asset = requests.get(f"{base}/assets/index-3f2a1b.js", timeout=5)
        assert asset.status_code == 200 and "immutable" in asset.headers["Cache-Control"]
        assert requests.get(f"{base}/assets/missing.js", timeout=5).status_code == 404

        (tmp_path / "html" / "index.html").unlink()
        health = requests.get(f"{base}/health", timeout=5)
        assert health.status_code == 503 and "no application build" in health.text


def test_robots_txt_is_plain_text_that_keeps_crawlers_out_and_source_maps_are_not_served(site):
    tmp_path, port, app_config = site
    render_template(tmp_path, start_script(tmp_path, app_config, REACT_APP_API_URL="https://api.example.com"))
    base = f"http://127.0.0.1:{port}"
    with serving(tmp_path):
        robots = wait_for(f"{base}/robots.txt")
        assert robots.status_code == 200
        assert robots.headers["Content-Type"].startswith("text/plain")
        assert robots.text == "User-agent: *\nDisallow: /\n"
        assert robots.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in robots.headers["Content-Security-Policy"]

        source_map = requests.get(f"{base}/assets/index-3f2a1b.js.map", timeout=5)
        assert source_map.status_code == 404 and "secret source" not in source_map.text
        assert requests.get(f"{base}/assets/index-3f2a1b.js", timeout=5).status_code == 200
