"""nginx.conf: well-formed, every proxy_pass names an upstream, the public server keeps
/metrics in, and WebSocket locations are the app's WebSocket routes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.deploy.manifests import NGINX_CONF
from tests.deploy.nginx_config import Directive, find_directives, parse_nginx


@pytest.fixture(scope="module")
def tree() -> list[Directive]:
    return parse_nginx(NGINX_CONF.read_text())


def servers(tree: list[Directive]) -> dict[int, Directive]:
    return {int(s.find("listen")[0].args[0]): s for s in find_directives(tree, "server") if s.block}


def test_the_parser_refuses_what_nginx_refuses() -> None:
    for broken in ("http { server { listen 80 } }", "http { server { listen 80; }", "events { }}"):
        with pytest.raises(ValueError):
            parse_nginx(broken)


def test_config_is_one_http_block_with_the_public_and_the_two_internal_servers(
    tree: list[Directive],
) -> None:
    assert [d.name for d in tree if d.block is not None] == ["events", "http"]
    assert set(servers(tree)) == {80, 5005, 5055}


def test_every_proxy_pass_names_an_upstream_with_a_shared_zone(tree: list[Directive]) -> None:
    upstreams = {d.args[0]: d for d in find_directives(tree, "upstream")}
    targets = {d.args[0] for d in find_directives(tree, "proxy_pass")}
    assert targets == {f"http://{name}" for name in upstreams}
    for name, upstream in upstreams.items():
        # `resolve` (re-reading a recreated container's address) needs a shared zone.
        assert upstream.find("zone"), f"upstream {name} has no zone"
        assert all("resolve" in s.args for s in upstream.find("server")), name
    assert find_directives(tree, "resolver"), "`resolve` needs a resolver"


def test_internal_servers_route_to_rasa_and_the_action_servers(tree: list[Directive]) -> None:
    by_port = servers(tree)
    assert {d.args[0] for d in by_port[5005].find("proxy_pass")} == {"http://rasa"}
    assert {d.args[0] for d in by_port[5055].find("proxy_pass")} == {"http://actions"}


def test_public_server_hides_metrics_and_passes_the_customer_address(tree: list[Directive]) -> None:
    public = servers(tree)[80]
    locations = {tuple(d.args): d for d in public.find("location")}
    assert locations[("=", "/metrics")].find("return")[0].args == ["404"]
    for directive in public.find("proxy_set_header"):
        if directive.args[0] == "X-Forwarded-For":
            # Overwritten, not appended: a client can't choose the address rate limits count.
            assert directive.args[1] == "$remote_addr"


def test_websocket_locations_are_websocket_routes_of_the_app(
    tree: list[Directive], backend_client: TestClient
) -> None:
    upgrading = [
        location
        for location in servers(tree)[80].find("location")
        if any(h.args[0] == "Upgrade" for h in location.find("proxy_set_header"))
    ]
    assert {tuple(loc.args) for loc in upgrading} == {("=", "/chat/ws"), ("=", "/console/ws")}
    for location in upgrading:
        headers = {h.args[0]: h.args[1] for h in location.find("proxy_set_header")}
        assert headers["Connection"] == "$connection_upgrade"
        # An unknown path is refused before the handshake; a real one accepts, then may close.
        try:
            with backend_client.websocket_connect(location.args[1]):
                pass
        except WebSocketDisconnect as refused:
            pytest.fail(f"{location.args[1]} is not a WebSocket route ({refused.code})")


def test_an_unknown_websocket_path_is_refused(backend_client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect), backend_client.websocket_connect("/no/such/ws"):
        pass
