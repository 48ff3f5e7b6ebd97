"""The distributed setup as docker-compose.yml, the gateway's nginx.conf and the Dockerfile
describe it.

No Docker engine runs where these tests run, so nothing is started: the files are read (the
compose file with PyYAML, which resolves its anchors and merge keys as compose does) and checked
for what `docker compose up` relies on. `${VAR:-default}` and `${VAR:?message}` are resolved here
the way compose resolves them, and the result goes through the services' own configuration check.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shlex
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from cryptography.fernet import Fernet

from shared.bus import Bus
from shared.bus_users import document_from_settings, permissions
from shared.config import SERVICES, load
from shared.events.publishers import routing_keys_of

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES_IN_COMPOSE = COMPOSE["services"]
WEB = [f"{name}-web" for name in SERVICES]
WORKERS = [f"{name}-worker" for name in SERVICES]
KX_PROCESSES = ["bus-users", "migrate", *WEB, *WORKERS]
# Only these may publish a host port: the one origin, and the two operator UIs.
MAY_PUBLISH = {"gateway": {8000}, "mailpit": {8025}, "rabbitmq": {15672}}
BUS_SECRETS = ["KX_RABBITMQ_ADMIN_PASSWORD", *(f"KX_BUS_PASSWORD_{name.upper()}" for name in SERVICES)]
TEST_ENV = {"KX_SECRET_KEY": "a-test-secret-that-is-long-enough-for-kx-0123456789",
            "KX_EXPENSES_KEYS": Fernet.generate_key().decode(),
            "KX_MAIL_REPLY_TO": "Programme team <kx-team@example.org>",
            **{name: f"pw-{name.lower().replace('_', '-')}-0123456789" for name in BUS_SECRETS}}

_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Resolve `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `${VAR:?error}` as compose does."""

    def one(match):
        name, op, arg = match["name"], match["op"] or "", match["arg"] or ""
        missing = name not in env or (op.startswith(":") and env[name] == "")
        if op.endswith("?") and missing:
            raise LookupError(f"{name}: {arg}")
        return arg if op.endswith("-") and missing else env.get(name, "")

    return _VARIABLE.sub(one, str(value)).replace("$$", "$")


def environment(service: str, env: dict[str, str] = TEST_ENV) -> dict[str, str]:
    raw = SERVICES_IN_COMPOSE[service].get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {key: interpolate(value, env) for key, value in raw.items()}


def command(service: str) -> list[str]:
    value = SERVICES_IN_COMPOSE[service].get("command") or []
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def published_host_ports(service: str) -> set[int]:
    ports = set()
    for port in SERVICES_IN_COMPOSE[service].get("ports") or []:
        if isinstance(port, dict):
            if port.get("published"):
                ports.add(int(port["published"]))
        elif ":" in str(port):  # "[ip:]host:container"; a bare "container" gets a random host port
            ports.add(int(str(port).split(":")[-2]))
    return ports


def mounted_file(service: str, target_prefix: str) -> Path:
    for volume in SERVICES_IN_COMPOSE[service].get("volumes") or []:
        source, target = str(volume).split(":")[:2]
        if target.startswith(target_prefix) and source.startswith("./"):
            return ROOT / source
    raise AssertionError(f"{service} mounts nothing from the repo at {target_prefix}")


def nginx_locations() -> dict[str, str]:
    """Each `location [=] PATH { ... }` of the gateway's config, keyed "= /" or "/learning"."""
    text = re.sub(r"#[^\n]*", "", mounted_file("gateway", "/etc/nginx/nginx.conf").read_text())
    return {f"{modifier} {path}".strip(): body
            for modifier, path, body in re.findall(r"location\s+(=?)\s*(\S+)\s*\{([^{}]*)\}", text)}


def test_every_process_of_the_distributed_setup_is_a_service():
    expected = {"rabbitmq", "postgres", "mailpit", "gateway", *KX_PROCESSES}
    assert expected <= set(SERVICES_IN_COMPOSE)


def test_rabbitmq_and_postgres_report_their_health_with_their_own_probes():
    rabbit = " ".join(SERVICES_IN_COMPOSE["rabbitmq"]["healthcheck"]["test"])
    postgres = " ".join(SERVICES_IN_COMPOSE["postgres"]["healthcheck"]["test"])
    assert "rabbitmq-diagnostics -q ping" in rabbit
    assert "pg_isready" in postgres


@pytest.mark.parametrize("service", WEB + WORKERS)
def test_web_and_workers_start_after_healthy_infrastructure_and_finished_migrations(service):
    depends_on = SERVICES_IN_COMPOSE[service]["depends_on"]
    assert depends_on["rabbitmq"]["condition"] == "service_healthy"
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrations_run_once_against_a_healthy_postgres_and_rabbitmq():
    migrate = SERVICES_IN_COMPOSE["migrate"]
    assert command("migrate") == ["migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["depends_on"]["rabbitmq"]["condition"] == "service_healthy"  # it declares the queues
    assert migrate.get("restart", "no") in {"no", "on-failure"}  # "unless-stopped" would rerun it forever


@pytest.mark.parametrize("service", KX_PROCESSES)
def test_every_kx_process_is_given_each_url_it_needs_with_the_right_scheme(service):
    env = environment(service)
    assert urlsplit(env["KX_BROKER_URL"]).scheme == "amqp"
    assert urlsplit(env["KX_BROKER_URL"]).hostname == "rabbitmq"
    for name in SERVICES:
        database = urlsplit(env[f"KX_DATABASE_URL_{name.upper()}"])
        assert (database.scheme, database.hostname, database.path) == ("postgresql+psycopg", "postgres", f"/{name}")
    smtp = urlsplit(env["KX_SMTP_URL"])
    assert (smtp.scheme, smtp.hostname, smtp.port) == ("smtp", "mailpit", 1025)
    assert len(env["KX_SECRET_KEY"]) >= 32


@pytest.mark.parametrize("service", KX_PROCESSES)
def test_the_environment_compose_gives_passes_the_services_own_configuration_check(service):
    from services.expenses.config import expenses_settings
    from services.notifications.config import mail_settings

    settings = load(environment(service))  # raises ConfigError on anything missing or malformed

    assert settings.embedded_bus is False
    assert settings.secret_key == TEST_ENV["KX_SECRET_KEY"]
    assert expenses_settings(settings).keys == (TEST_ENV["KX_EXPENSES_KEYS"],)
    assert mail_settings(settings).public_url == "http://localhost:8000"


def test_compose_passes_single_sign_on_through_from_env_and_leaves_it_off_without():
    from services.registration.config import OIDC_VARIABLES, oidc_settings

    assert oidc_settings(load(environment("registration-web"))) is None
    given = {"KX_OIDC_ISSUER": "https://login.microsoftonline.com/tenant/v2.0", "KX_OIDC_CLIENT_ID": "client",
             "KX_OIDC_CLIENT_SECRET": "secret"}
    for service in KX_PROCESSES:
        env = environment(service, {**TEST_ENV, **given})
        assert {name: env[name] for name in OIDC_VARIABLES} == given
    assert oidc_settings(load(environment("registration-web", {**TEST_ENV, **given}))).client_id == "client"
    example = (ROOT / ".env.example").read_text()
    assert all(re.search(rf"^# {name}=", example, re.MULTILINE) for name in OIDC_VARIABLES)


@pytest.mark.parametrize("secret", ["KX_SECRET_KEY", "KX_EXPENSES_KEYS", *BUS_SECRETS])
def test_compose_refuses_to_start_without_a_secret_rather_than_guess_one(secret):
    without = {name: value for name, value in TEST_ENV.items() if name != secret}
    with pytest.raises(LookupError, match=secret):
        for process in KX_PROCESSES:
            environment(process, without)
    assert re.search(rf"^{secret}=", (ROOT / ".env.example").read_text(), re.MULTILINE)


@pytest.mark.parametrize("process", WEB + WORKERS)
def test_each_web_and_worker_connects_to_rabbitmq_as_its_own_services_user_and_knows_no_other_password(process):
    service = process.rsplit("-", 1)[0]
    env = environment(process)
    broker = urlsplit(env["KX_BROKER_URL"])
    assert (broker.username, broker.password) == (service, TEST_ENV[f"KX_BUS_PASSWORD_{service.upper()}"])
    settings = load(env)
    assert Bus.from_settings(settings, service).user == service  # who its events say sent them
    others = {TEST_ENV[name] for name in BUS_SECRETS} - {broker.password}
    assert not [name for name, value in env.items() if any(other in value for other in others)]


def test_the_services_users_are_made_before_anything_connects_with_the_permissions_of_shared_bus_users():
    bus_users = SERVICES_IN_COMPOSE["bus-users"]
    assert command("bus-users") == ["bus-users"]
    assert bus_users["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
    assert bus_users.get("restart", "no") in {"no", "on-failure"}
    assert SERVICES_IN_COMPOSE["migrate"]["depends_on"]["bus-users"]["condition"] == "service_completed_successfully"
    env = environment("bus-users")
    api = urlsplit(env["KX_RABBITMQ_API_URL"])
    assert (api.scheme, api.hostname, api.port) == ("http", "rabbitmq", 15672)
    rabbitmq = SERVICES_IN_COMPOSE["rabbitmq"]["environment"]
    assert (api.username, api.password) == (rabbitmq["RABBITMQ_DEFAULT_USER"],
                                            interpolate(rabbitmq["RABBITMQ_DEFAULT_PASS"], TEST_ENV))
    assert "management" in SERVICES_IN_COMPOSE["rabbitmq"]["image"]

    document = document_from_settings(load(env))
    assert {user["name"]: user["password"] for user in document["users"]} == {
        name: TEST_ENV[f"KX_BUS_PASSWORD_{name.upper()}"] for name in SERVICES}
    assert {p["user"]: (p["vhost"], p["write"]) for p in document["permissions"]} == {
        name: ("/", permissions(name, "kx")["write"]) for name in SERVICES}
    assert {p["user"]: (p["exchange"], p["write"]) for p in document["topic_permissions"]} == {
        name: ("kx.events", routing_keys_of(name)) for name in SERVICES}


def test_migrations_declare_every_services_queues_as_the_rabbitmq_administrator():
    broker = urlsplit(environment("migrate")["KX_BROKER_URL"])
    assert (broker.username, broker.password) == ("kx-admin", TEST_ENV["KX_RABBITMQ_ADMIN_PASSWORD"])


@pytest.mark.parametrize("name", SERVICES)
def test_web_containers_run_kx_web_for_their_service_on_the_port_the_gateway_uses(name):
    assert command(f"{name}-web") == ["web", name, "--port", "8000"]
    assert "entrypoint" not in SERVICES_IN_COMPOSE[f"{name}-web"]  # the image's `kx`


@pytest.mark.parametrize("name", SERVICES)
def test_worker_containers_run_kx_worker_for_their_service(name):
    assert command(f"{name}-worker") == ["worker", name]
    assert "entrypoint" not in SERVICES_IN_COMPOSE[f"{name}-worker"]


@pytest.mark.parametrize("name", SERVICES)
def test_web_containers_are_healthy_only_when_their_own_healthz_answers(name):
    test = SERVICES_IN_COMPOSE[f"{name}-web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]  # the slim image has no curl
    assert "urllib.request" in test[3]
    assert f"http://127.0.0.1:8000/{name}/healthz" in test[3]


@pytest.mark.parametrize("service", sorted(SERVICES_IN_COMPOSE))
def test_no_service_holds_a_fixed_name_or_host_port_that_would_block_scaling(service):
    assert "container_name" not in SERVICES_IN_COMPOSE[service]
    assert published_host_ports(service) <= MAY_PUBLISH.get(service, set())


def test_the_gateway_serves_the_one_origin_on_port_8000_once_every_web_process_is_healthy():
    gateway = SERVICES_IN_COMPOSE["gateway"]
    assert published_host_ports("gateway") == {8000}
    assert {name: dep["condition"] for name, dep in gateway["depends_on"].items()} == dict.fromkeys(WEB, "service_healthy")


@pytest.mark.parametrize("name", SERVICES)
def test_the_gateway_passes_each_prefix_to_its_service_without_rewriting_the_path(name):
    body = nginx_locations()[f"/{name}"]
    variables = dict(re.findall(r"set\s+\$(\w+)\s+([^;]+);", body))
    (target,) = re.findall(r"proxy_pass\s+([^;]+);", body)
    upstream = urlsplit(re.sub(r"\$(\w+)", lambda m: variables[m[1]], target))

    assert (upstream.scheme, upstream.hostname, upstream.port) == ("http", f"{name}-web", 8000)
    assert upstream.path == ""  # a path after the upstream would replace the matched prefix
    assert "rewrite" not in body


def test_the_gateway_redirects_the_root_to_the_public_catalogue():
    assert re.search(r"return\s+30[1278]\s+/registration/;", nginx_locations()["= /"])


def test_the_gateway_accepts_receipts_of_ten_megabytes_and_says_who_asked():
    config = mounted_file("gateway", "/etc/nginx/nginx.conf").read_text()
    assert int(re.search(r"client_max_body_size\s+(\d+)m;", config)[1]) >= 11
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert re.search(rf"proxy_set_header\s+{header}\s", config), header


def test_postgres_creates_one_database_per_service_on_first_start():
    script = mounted_file("postgres", "/docker-entrypoint-initdb.d/").read_text()
    assert set(re.findall(r"CREATE DATABASE (\w+)", script, re.IGNORECASE)) == set(SERVICES)


def test_postgres_rabbitmq_and_receipts_keep_their_data_in_named_volumes():
    def named_volumes(service):
        return {str(v).split(":")[0] for v in SERVICES_IN_COMPOSE[service].get("volumes") or []} & set(COMPOSE["volumes"])

    assert named_volumes("postgres") and named_volumes("rabbitmq")
    receipts = environment("expenses-web")["KX_EXPENSES_RECEIPTS_DIR"]
    assert f"receipts:{receipts}" in SERVICES_IN_COMPOSE["expenses-web"]["volumes"]
    # the worker erases receipt files (privacy requests, retention): it must see the same folder
    assert f"receipts:{receipts}" in SERVICES_IN_COMPOSE["expenses-worker"]["volumes"]


def test_the_image_runs_kx_as_a_user_without_privileges():
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = dict(re.findall(r"^(FROM|USER|ENTRYPOINT)\s+(.+)$", dockerfile, re.MULTILINE))
    assert instructions["FROM"].startswith("python:3.11-slim")
    assert json.loads(instructions["ENTRYPOINT"]) == ["kx"]
    assert instructions["USER"] not in {"root", "0"}


def package_files() -> tuple[set[str], set[str]]:
    """Files under shared/ and services/ that are not Python, and those that pyproject.toml's
    package-data patterns declare, matched from each folder as setuptools matches them."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    present, declared = set(), set()
    for top in ("shared", "services"):
        for folder, subfolders, files in os.walk(ROOT / top):
            subfolders[:] = [name for name in subfolders if name not in {"tests", "__pycache__"}]
            present.update(os.path.join(folder, name) for name in files
                           if not name.endswith((".py", ".pyc")) and name != ".gitkeep")
            for pattern in patterns:
                declared.update(os.path.join(folder, name) for name in glob.glob(pattern, root_dir=folder, recursive=True))
    return present, declared


# The Dockerfile installs with `pip install .`, which copies only declared data files; an
# editable install (the venv) reads them from the tree, so nothing else notices the gap.
def test_the_image_holds_every_data_file_the_services_read():
    present, declared = package_files()
    assert sorted(os.path.relpath(path, ROOT) for path in present - declared) == []


def test_the_build_context_leaves_out_secrets_and_local_state():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "var"} <= ignored
