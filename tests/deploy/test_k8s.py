"""The Kubernetes manifests hang together: kustomizations list real files and one release tag,
labels select, ports and users match the images, config and secret references exist, the
Ingress reaches the backend at the public address, and the migration Job is a real command."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.deploy.consumers import check_supportbot, unread
from tests.deploy.manifests import (
    DOCKERFILES,
    K8S,
    K8S_SECRETS_TEMPLATE,
    exposed_ports,
    final_stage,
    k8s_config_data,
    k8s_environment,
    k8s_kind,
    k8s_manifests,
    k8s_secret_data,
    pod_specs,
)

PREFIX = "supportbot-"
SECRET_LOOKING = ("PASSWORD", "SECRET", "TOKEN", "API_KEY", "DATABASE_URL", "REDIS_URL")


def kustomization(folder: str = "") -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((K8S / folder / "kustomization.yaml").read_text())
    return document


def containers() -> list[tuple[str, dict[str, Any]]]:
    return [(name, c) for name, spec in pod_specs() for c in spec["containers"]]


def image_name(container: dict[str, Any]) -> str:
    """backend / actions / rasa from the kustomize image name `supportbot-<image>`."""
    name = str(container["image"])
    assert name.startswith(PREFIX) and name[len(PREFIX) :] in DOCKERFILES, name
    return name[len(PREFIX) :]


def test_every_document_is_named_and_every_manifest_is_applied_by_a_kustomization() -> None:
    listed = {K8S / name for name in kustomization()["resources"]}
    listed |= {K8S / "migrate" / name for name in kustomization("migrate")["resources"]}
    for path in listed:
        assert path.is_file(), f"kustomization lists missing {path}"
    for path, document in k8s_manifests():
        assert document.get("apiVersion") and document["metadata"].get("name"), path
        assert path in listed or path == K8S_SECRETS_TEMPLATE, f"{path} is applied by nothing"
    assert K8S_SECRETS_TEMPLATE not in listed, "the empty secret template must not be applied"


def test_the_migration_runs_the_same_backend_image_as_the_release() -> None:
    images = {i["name"]: i for i in kustomization()["images"]}
    (migrate_image,) = kustomization("migrate")["images"]
    assert images[migrate_image["name"]] == migrate_image
    assert {f"{PREFIX}{name}" for name in DOCKERFILES} == set(images)
    assert len({i["newTag"] for i in images.values()}) == 1, "one release tag for all images"


def test_migration_job_upgrades_the_schema_with_production_settings() -> None:
    (job,) = k8s_kind("Job")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert image_name(container) == "backend"
    check_supportbot(container["command"])
    assert container["command"][1:3] == ["db", "upgrade"]
    env = k8s_environment(container)
    assert env["SUPPORTBOT_ENVIRONMENT"] == "production"
    assert "SUPPORTBOT_DATABASE_URL" in env
    refs = [s for s in container["envFrom"] if "configMapRef" in s]
    assert not refs, "the Job runs before the ConfigMaps exist: Secret and env only"


def test_selectors_match_pods_and_services_target_named_container_ports() -> None:
    pods = {}
    for deployment in k8s_kind("Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels.items(), deployment["metadata"]["name"]
        pods[deployment["metadata"]["name"]] = (labels, deployment)
    services = k8s_kind("Service")
    assert {s["metadata"]["name"] for s in services} == set(pods)
    for service in services:
        labels, deployment = pods[service["metadata"]["name"]]
        assert service["spec"]["selector"].items() <= labels.items()
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports
            assert port["port"] == ports[port["targetPort"]], "keep Service and pod ports equal"
    for autoscaler in k8s_kind("HorizontalPodAutoscaler"):
        assert autoscaler["spec"]["scaleTargetRef"]["name"] in pods
    for budget in k8s_kind("PodDisruptionBudget"):
        selector = budget["spec"]["selector"]["matchLabels"]
        assert any(selector.items() <= labels.items() for labels, _ in pods.values())


def test_containers_use_the_images_ports_and_non_root_user() -> None:
    for name, container in containers():
        image = image_name(container)
        if container.get("ports"):
            assert {p["containerPort"] for p in container["ports"]} == exposed_ports(image), name
        uid = final_stage(image).all("USER")[-1].args.split(":")[0]
        spec = next(spec for n, spec in pod_specs() if n == name)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert str(spec["securityContext"]["runAsUser"]) == uid, name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_every_variable_given_to_a_container_is_read_by_it() -> None:
    for name, container in containers():
        image = image_name(container)
        missing, unknown = unread(image, k8s_environment(container))
        assert not missing, f"{name} gets variables nothing reads: {missing}"
        if unknown:
            pytest.skip(f"cannot check {unknown} without the {image} environment")


def test_secrets_stay_in_the_secret_template_which_holds_no_value() -> None:
    for name, data in k8s_secret_data().items():
        assert all(value == "" for value in data.values()), f"{name}: the template has a value"
    for name, data in k8s_config_data().items():
        leaked = [key for key in data if any(word in key for word in SECRET_LOOKING)]
        assert not leaked, f"ConfigMap {name} holds secrets: {leaked}"


def test_urls_in_config_point_at_services_and_their_ports() -> None:
    services = {s["metadata"]["name"]: s for s in k8s_kind("Service")}
    checked = 0
    for data in k8s_config_data().values():
        for key, value in data.items():
            url = urlsplit(value)
            if url.scheme != "http":
                continue
            ports = {p["port"] for p in services[str(url.hostname)]["spec"]["ports"]}
            assert url.port in ports, f"{key}={value}"
            checked += 1
    assert checked >= 3


def test_ingress_sends_the_public_address_to_the_backend_service() -> None:
    (ingress,) = k8s_kind("Ingress")
    public = urlsplit(k8s_config_data()[f"{PREFIX}backend-config"]["SUPPORTBOT_PUBLIC_URL"])
    assert public.scheme == "https"
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == public.hostname
    assert public.hostname in ingress["spec"]["tls"][0]["hosts"]
    services = {s["metadata"]["name"]: s for s in k8s_kind("Service")}
    for path in rule["http"]["paths"]:
        backend = path["backend"]["service"]
        names = {p["name"] for p in services[backend["name"]]["spec"]["ports"]}
        assert backend["name"] == f"{PREFIX}backend" and backend["port"]["name"] in names


NAME = "app.kubernetes.io/name"
# Pods -> the only pods that may connect to them (the backend asks the action servers' /health).
INTERNAL_CALLERS = {
    f"{PREFIX}rasa": {f"{PREFIX}backend"},
    f"{PREFIX}actions": {f"{PREFIX}rasa", f"{PREFIX}backend"},
}


def test_only_the_backend_reaches_rasa_and_only_rasa_and_the_backend_reach_actions() -> None:
    pods = {d["metadata"]["name"]: d["spec"]["template"] for d in k8s_kind("Deployment")}
    policies = {p["spec"]["podSelector"]["matchLabels"][NAME]: p for p in k8s_kind("NetworkPolicy")}
    assert set(INTERNAL_CALLERS) <= set(policies)
    for target, callers in INTERNAL_CALLERS.items():
        spec = policies[target]["spec"]
        assert (
            spec["podSelector"]["matchLabels"].items() <= pods[target]["metadata"]["labels"].items()
        )
        assert "Ingress" in spec["policyTypes"], f"{target}: the policy must isolate ingress"
        (rule,) = spec["ingress"]
        for source in rule["from"]:
            assert set(source) == {"podSelector"}, f"{target}: pods of this namespace only"
        allowed = {source["podSelector"]["matchLabels"][NAME] for source in rule["from"]}
        assert [len(source["podSelector"]["matchLabels"]) for source in rule["from"]] == [1] * len(
            rule["from"]
        )
        assert allowed == callers, f"{target}: reached by {allowed}"
        for caller in callers:
            assert caller in pods and pods[caller]["metadata"]["labels"][NAME] == caller
        (container,) = pods[target]["spec"]["containers"]
        names = {p["name"] for p in container["ports"]}
        assert {p["port"] for p in rule["ports"]} <= names, f"{target}: ports of its container"


def test_rasa_and_the_action_servers_stay_inside_the_cluster() -> None:
    for service in k8s_kind("Service"):
        if service["metadata"]["name"] in INTERNAL_CALLERS:
            assert service["spec"].get("type", "ClusterIP") == "ClusterIP", service["metadata"]
    (ingress,) = k8s_kind("Ingress")
    targets = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert targets == {f"{PREFIX}backend"}


def test_rasa_and_the_action_servers_share_a_token_from_their_secrets() -> None:
    config = k8s_config_data()
    for name, container in containers():
        image = image_name(container)
        if image not in {"rasa", "actions"}:
            continue
        secrets = [s["secretRef"]["name"] for s in container["envFrom"] if "secretRef" in s]
        assert any("SUPPORTBOT_ACTIONS_TOKEN" in k8s_secret_data()[s] for s in secrets), name
        assert not any("SUPPORTBOT_ACTIONS_TOKEN" in data for data in config.values())
        if image == "actions":
            argv = final_stage("actions").all("CMD")[-1].exec_form()
            assert argv is not None and argv[:3] == ["python", "-m", "actions.server"]
