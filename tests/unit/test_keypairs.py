"""os-keypairs and key_name on servers, with the texts and codes Nova 34 answered the oracle."""

from __future__ import annotations

from typing import Any

import pytest

from fakenova import testing
from fakenova.compute.models.resources import keypairs
from fakenova.testing import mock_cloud

V = "/compute/v2.1"
ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZ4b3BvcnRlZC1rZXktZm9yLXRlc3RzLTEyMzQ1Njc4 me@host"


class World(testing.World):
    def create(self, mv: str = "2.2", who: str = "demo", **keypair: Any) -> Any:
        return self.client(who).post(f"{V}/os-keypairs", {"keypair": keypair}, microversion=mv)


@pytest.fixture
def w() -> World:
    return World()


def _message(answer: Any) -> str:
    return next(iter(answer.json.values()))["message"]


def test_generated_key_per_microversion(w: World) -> None:
    old = w.create("2.1", name="k1")
    assert old.status_int == 200
    body = old.json["keypair"]
    assert set(body) == {"private_key", "name", "public_key", "fingerprint", "user_id"}
    assert body["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert body["public_key"].startswith("ssh-rsa ") and body["public_key"].endswith(
        " Generated-by-Nova"
    )
    assert body["fingerprint"] == keypairs.fingerprint(body["public_key"], "ssh")
    new = w.create("2.2", name="k2")
    assert new.status_int == 201 and new.json["keypair"]["type"] == "ssh"


def test_generation_is_reproducible() -> None:
    first = World().create(name="k1").json["keypair"]
    assert World().create(name="k1").json["keypair"] == first


def test_import_and_fingerprint(w: World) -> None:
    answer = w.create("2.92", name="k@1.x", public_key=ED25519)
    assert answer.status_int == 201
    assert (
        answer.json["keypair"]["fingerprint"] == "e1:7d:00:a5:10:f0:47:0f:14:6e:7e:8b:6d:9b:b8:ff"
    )
    assert "private_key" not in answer.json["keypair"]


@pytest.mark.parametrize(
    ("mv", "keypair", "status", "message"),
    [
        (
            "2.92",
            {"name": "k4"},
            400,
            "Invalid input for field/attribute keypair. Value: {'name': 'k4'}. 'public_key' "
            "is a required property",
        ),
        ("2.92", {"name": "k", "public_key": "ssh-rsa garbage"}, 400,
         "Keypair data is invalid: failed to generate fingerprint"),
        ("2.2", {"name": "k@1"}, 400,
         "Invalid input for field/attribute name. Value: k@1. 'k@1' does not match "
         "'^[_\\\\- a-zA-Z0-9]+$'"),
        ("2.2", {"name": " k"}, 400,
         "An invalid 'name' value was provided. The name must be: printable characters. "
         "Can not start or end with whitespace."),
        ("2.2", {"name": "kk", "type": "rsa"}, 400,
         "Invalid input for field/attribute type. Value: rsa. 'rsa' is not one of "
         "['ssh', 'x509']"),
        ("2.1", {"name": "kk", "type": "ssh"}, 400,
         "Invalid input for field/attribute keypair. Value: {'name': 'kk', 'type': 'ssh'}. "
         "Additional properties are not allowed ('type' was unexpected)"),
        ("2.10", {"name": "kk", "user_id": "someone", "public_key": ED25519}, 403,
         "Policy doesn't allow os_compute_api:os-keypairs:create to be performed."),
    ],
)  # fmt: skip
def test_create_refused(
    w: World, mv: str, keypair: dict[str, Any], status: int, message: str
) -> None:
    answer = w.create(mv, **keypair)
    assert answer.status_int == status and _message(answer) == message
    assert w.compute.keypairs == {}


def test_duplicate_and_quota(w: World) -> None:
    w.create("2.92", name="k1", public_key=ED25519)
    dup = w.create("2.92", name="k1", public_key=ED25519)
    assert dup.status_int == 409 and _message(dup) == "Key pair 'k1' already exists."
    w.compute.settings.nova.setdefault("quota", {})["key_pairs"] = 1
    over = w.create("2.92", name="k2", public_key=ED25519)
    assert over.status_int == 403 and _message(over) == "Quota exceeded, too many key pairs."
    assert len(w.compute.keypairs) == 1


def test_admin_acts_for_another_user(w: World) -> None:
    made = w.create("2.10", who="admin", name="kk", user_id="someone", public_key=ED25519)
    assert made.status_int == 201 and made.json["keypair"]["user_id"] == "someone"
    listed = w.admin.get(f"{V}/os-keypairs?user_id=someone", microversion="2.10").json
    assert [k["keypair"]["name"] for k in listed["keypairs"]] == ["kk"]
    refused = w.demo.get(f"{V}/os-keypairs?user_id=someone", microversion="2.10")
    assert refused.status_int == 403
    gone = w.admin.delete(f"{V}/os-keypairs/kk?user_id=someone", microversion="2.10")
    assert gone.status_int == 204


def test_list_show_delete(w: World) -> None:
    for name in ("b", "a", "c"):
        w.create("2.92", name=name, public_key=ED25519)
    page = w.demo.get(f"{V}/os-keypairs?limit=1", microversion="2.35").json
    assert [k["keypair"]["name"] for k in page["keypairs"]] == ["a"]
    assert page["keypairs_links"][0]["href"].endswith("/os-keypairs?limit=1&marker=a")
    rest = w.demo.get(f"{V}/os-keypairs?marker=a", microversion="2.35").json["keypairs"]
    assert [k["keypair"]["name"] for k in rest] == ["b", "c"]
    bad = w.demo.get(f"{V}/os-keypairs?marker=zz", microversion="2.35")
    assert bad.status_int == 400 and _message(bad) == "Marker zz could not be found."
    first = w.demo.get(f"{V}/os-keypairs", microversion="2.1").json["keypairs"][0]
    assert set(first["keypair"]) == {"name", "public_key", "fingerprint"}
    shown = w.demo.get(f"{V}/os-keypairs/a", microversion="2.2").json["keypair"]
    assert shown["deleted"] is False and shown["id"] == 2 and shown["type"] == "ssh"
    user = w.cloud.user_id("alt_demo")
    other = w.alt.get(f"{V}/os-keypairs/a")
    assert other.status_int == 404 and _message(other) == f"Keypair a not found for user {user}"
    assert w.demo.delete(f"{V}/os-keypairs/a", microversion="2.1").status_int == 202
    assert w.demo.delete(f"{V}/os-keypairs/b", microversion="2.2").status_int == 204
    assert w.demo.delete(f"{V}/os-keypairs/b", microversion="2.2").status_int == 404


def test_key_name_on_create_and_rebuild(w: World) -> None:
    w.create("2.92", name="k1", public_key=ED25519)
    image = w.cloud.settings.images[0]["id"]
    server = {"networks": [{"uuid": next(iter(w.compute.networks))}], "key_name": "k1"}
    mine = w.create_server("s", mv="2.37", **server)
    assert mine.status_int == 202
    theirs = w.create_server("s", "alt", mv="2.37", **server)
    assert theirs.status_int == 400 and _message(theirs) == "Invalid key_name provided."
    uuid = mine.json["server"]["id"]
    w.settle()
    assert w.demo.get(f"{V}/servers/{uuid}").json["server"]["key_name"] == "k1"
    rebuild = {"rebuild": {"imageRef": image, "key_name": "zz"}}
    bad = w.demo.post(f"{V}/servers/{uuid}/action", rebuild, microversion="2.54")
    assert bad.status_int == 400 and _message(bad) == "Invalid key_name provided."
    rebuild["rebuild"]["key_name"] = None
    assert w.demo.post(f"{V}/servers/{uuid}/action", rebuild, microversion="2.54").status_int == 202


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_openstack_cli(w: World, tmp_path: Any) -> None:
    """keypair and server group commands, and a server booted with both, via the real CLI."""
    import json

    with mock_cloud(world=w) as cloud:
        public = tmp_path / "id.pub"
        public.write_text(ED25519)

        def run(command: str) -> str:
            result = cloud.openstack(command)
            assert result.exit_code == 0, result.stderr
            return result.stdout

        group = json.loads(run("server group create --policy anti-affinity g1 -f json"))
        run(f"keypair create --public-key {public} k1")
        assert "k1" in run("keypair list") and "g1" in run("server group list")
        assert json.loads(run("keypair show k1 -f json"))["type"] == "ssh"
        image = w.cloud.settings.images[0]["id"]
        net = next(iter(w.compute.networks))
        for name in ("s1", "s2"):
            run(
                f"server create --image {image} --flavor m1.tiny --network {net} --key-name k1 "
                f"--hint group={group['id']} --wait {name}"
            )
        shown = json.loads(run("server group show g1 -f json"))
        assert len(shown["members"]) == 2
        hosts = {s.host for s in w.compute.servers.values() if s.name in ("s1", "s2")}
        assert len(hosts) == 2
        run("server delete --wait s1 s2")
        run("server group delete g1")
        run("keypair delete k1")
        assert "k1" not in run("keypair list")
