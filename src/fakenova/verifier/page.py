"""The state one page's samples share: its cloud, who is speaking, and what was last answered.

A page is read top to bottom like a terminal session. Its scenario directive builds a fresh
cloud; later blocks act on that cloud as the current user; a JSON block or an included example
is compared with the response to the most recent request. Keeping all of it in one object
stored in the sybil document's namespace means no state outlives a page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import webob

from fakenova import scenarios
from fakenova.app import make_app
from fakenova.cloud import Cloud, build_cloud
from fakenova.identity.entities import User
from fakenova.scenarios import OPERATOR
from fakenova.verifier.blocks import Block
from fakenova.verifier.context import Context
from fakenova.verifier.matching import PageBindings
from fakenova.verifier.openstack_cli import InProcessCLI, credentials_env

NAMESPACE_KEY = "fakenova_page"


class SampleFailure(AssertionError):
    """A sample disagrees with the fake, or cannot be run. The message names file and line."""

    def __init__(self, where: str, reason: str, diff: str = "") -> None:
        message = f"{where}: {reason}"
        if diff:
            message += "\n" + diff
        super().__init__(message)
        # The block's text that would match, when the evaluator could work it out (only
        # when the page is being updated): see fakenova.verifier.updates.
        self.proposed: str | None = None


@dataclass(frozen=True)
class Answer:
    """The response a JSON block or included example is compared with."""

    status: int
    headers: dict[str, str]
    text: str
    source: str  # the request that produced it, for error messages

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class Page:
    """Everything the samples of one page share."""

    cloud: Cloud
    app: Any
    user: str
    project: str
    microversion: str | None = None
    bindings: PageBindings = field(default_factory=PageBindings)
    env: dict[str, str] = field(default_factory=dict)
    last_answer: Answer | None = None
    # Under ``pytest --update-samples``: evaluators go on past a mismatch they can fix, as if
    # the sample already showed the fix, so one run rewrites a whole page.
    updating: bool = False
    # The same fold of the page's options the site's captions show (fakenova.verifier.context).
    context: Context = field(default_factory=Context)
    # The line of the command or snippet running now, if any: its requests are recorded.
    sample_line: int | None = None
    _cli: InProcessCLI | None = None

    @classmethod
    def start(cls, scenario: str, options: dict[str, str]) -> Page:
        cloud = build_cloud()
        scenarios.apply(cloud, scenario)
        page = cls(cloud=cloud, app=make_app(cloud), user="demo", project="demo")
        page.configure(options)
        return page

    def configure(self, options: dict[str, str]) -> None:
        """Apply ``user``, ``project``, ``microversion``, ``unreachable`` and ``reachable``,
        and the operator's options of :func:`fakenova.scenarios.operate` (``policy``,
        ``stopped``, ``started``, ``advance``)."""
        known = {"user", "project", "microversion", "unreachable", "reachable", *OPERATOR}
        unknown = set(options) - known
        if unknown:
            raise ValueError(f"unknown option(s) {sorted(unknown)}; known: {sorted(known)}")
        self.context = self.context.apply(options)
        if "user" in options:
            self.user = options["user"]
            self.project = options.get("project", self._home_project(self.user))
        elif "project" in options:
            self.project = options["project"]
        if "microversion" in options:
            self.microversion = options["microversion"] or None
        for key, reachable in (("unreachable", False), ("reachable", True)):
            for cell in filter(None, options.get(key, "").split(",")):
                self.cloud.compute.set_cell_reachable(cell.strip(), reachable)
        scenarios.operate(self.cloud, {k: v for k, v in options.items() if k in OPERATOR})
        self.env = credentials_env(self.user, self._password(self.user), self.project)
        if self.microversion:
            self.env["OS_COMPUTE_API_VERSION"] = self.microversion

    def running(self) -> tuple[int, str, str] | None:
        """The sample running now, if a command or snippet: its line, user and conditions."""
        if self.sample_line is None:
            return None
        return self.sample_line, self.user, self.context.conditions()

    def _user(self, name: str) -> User:
        """The user called ``name`` in the default domain, as the page's cloud knows it now:
        one of ``conf/cloud.yaml`` or one an administrator created earlier on the page (an
        ``openstack user create`` sample), so a page can provision a reader or a manager and
        then act as them."""
        user = self.cloud.identity.users.get(name)
        if user is None:
            raise ValueError(
                f"no user {name!r} in conf/cloud.yaml, nor created earlier on this page"
            )
        return user

    def _home_project(self, user: str) -> str:
        project = self._user(user).project
        if project is None:
            raise ValueError(f"user {user!r} has no default project: name one with 'project'")
        return project.name

    def _password(self, user: str) -> str:
        return self._user(user).password or ""

    @property
    def cli(self) -> InProcessCLI:
        if self._cli is None:
            self._cli = InProcessCLI(lambda: self.app)
        return self._cli

    def token(self) -> str:
        return self.cloud.identity.authenticate(
            self.user, self._password(self.user), self.project
        ).id

    def send(self, method: str, path: str, headers: dict[str, str], body: str | None) -> Answer:
        """Send a request to the fake as the page's current user; remember the answer."""
        request = webob.Request.blank(path, method=method, base_url="http://openstack.example.com")
        # A sample that shows its own token (a made-up, revoked or expired one, or one the
        # page got from Identity: the evaluator swapped its literal for it) sends it.
        shown = [value for name, value in headers.items() if name.lower() == "x-auth-token"]
        request.headers["X-Auth-Token"] = shown[0] if shown else self.token()
        if self.microversion and not any(
            h.lower() in ("openstack-api-version", "x-openstack-nova-api-version") for h in headers
        ):
            request.headers["OpenStack-API-Version"] = f"compute {self.microversion}"
        for name, value in headers.items():
            if name.lower() != "x-auth-token":
                request.headers[name] = value
        if body is not None:
            request.body = body.encode()
            request.content_type = request.headers.get("Content-Type", "application/json")
        response = request.get_response(self.app)
        # Nova repeats some headers (two Vary lines): show them joined, as HTTP allows.
        headers = {name: ", ".join(response.headers.getall(name)) for name in response.headers}
        self.last_answer = Answer(response.status_int, headers, response.text, f"{method} {path}")
        return self.last_answer


def page_of(namespace: dict[str, Any], block: Block) -> Page:
    page = namespace.get(NAMESPACE_KEY)
    if page is None:
        raise SampleFailure(
            block.where(),
            "no '.. fakenova-scenario: NAME' directive before this sample: the page must say "
            "which cloud its samples run against (and a sample run alone has none)",
        )
    return page
