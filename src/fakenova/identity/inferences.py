"""Keystone's implied roles (``keystone/api/roles.py``, ``role_inferences.py``): which role
implies which, as ``keystone-manage bootstrap`` chains them (admin, manager, member, reader)
and as an admin adds or removes them.

The order is Keystone's: the token (401), the roles named in the path (404, looked up to build
the policy's target, so before the policy), the policy (403), then the implication itself.
A token's roles and ``role_assignments?effective`` follow the implications as they stand.
"""

from __future__ import annotations

from typing import Any

import webob

from fakenova.http import json_response
from fakenova.identity import policy
from fakenova.identity.entities import Role
from fakenova.identity.handlers import Handlers


class InferenceHandlers(Handlers):
    def list_role_inferences(self, request: webob.Request) -> webob.Response:
        policy.enforce("identity:list_role_inference_rules", self._caller(request))
        priors = dict.fromkeys(p for p, _ in self.backend.implications)
        rules = [
            {
                "prior_role": self._brief(request, self.backend.roles[p]),
                "implies": [
                    self._brief(request, r) for r in self.backend.implies(self.backend.roles[p])
                ],
            }
            for p in priors
        ]
        return json_response({"role_inferences": rules})

    def list_implied_roles(self, request: webob.Request, prior_role_id: str) -> webob.Response:
        caller = self._caller(request)
        prior = self.backend.role(prior_role_id)
        policy.enforce("identity:list_implied_roles", caller)
        implies = [self._brief(request, r) for r in self.backend.implies(prior)]
        return self._inference(request, prior, implies, f"roles/{prior.id}/implies")

    def show_implied_role(
        self, request: webob.Request, prior_role_id: str, implied_role_id: str
    ) -> webob.Response:
        """``GET``, and ``HEAD``, for which Keystone checks its own rule, then the GET's, and
        answers 204 (a HEAD reaches this through the GET route)."""
        caller = self._caller(request)
        prior = self.backend.role(prior_role_id)
        implied = self.backend.role(implied_role_id)
        if request.method == "HEAD":
            policy.enforce("identity:check_implied_role", caller)
        policy.enforce("identity:get_implied_role", caller)
        self.backend.implication(prior, implied)
        if request.method == "HEAD":
            return json_response(None, 204)
        return self._one(request, prior, implied)

    def create_implied_role(
        self, request: webob.Request, prior_role_id: str, implied_role_id: str
    ) -> webob.Response:
        prior, implied = self._pair(request, prior_role_id, implied_role_id, "create_implied_role")
        self.backend.add_implication(prior, implied)
        answer = self._one(request, prior, implied)
        answer.status = 201
        return answer

    def delete_implied_role(
        self, request: webob.Request, prior_role_id: str, implied_role_id: str
    ) -> webob.Response:
        prior, implied = self._pair(request, prior_role_id, implied_role_id, "delete_implied_role")
        self.backend.remove_implication(prior, implied)
        return json_response(None, 204)

    def _pair(
        self, request: webob.Request, prior_id: str, implied_id: str, action: str
    ) -> tuple[Role, Role]:
        caller = self._caller(request)
        prior, implied = self.backend.role(prior_id), self.backend.role(implied_id)
        policy.enforce(f"identity:{action}", caller)
        return prior, implied

    def _one(self, request: webob.Request, prior: Role, implied: Role) -> webob.Response:
        path = f"roles/{prior.id}/implies/{implied.id}"
        return self._inference(request, prior, self._brief(request, implied), path)

    def _inference(
        self, request: webob.Request, prior: Role, implies: Any, path: str
    ) -> webob.Response:
        body = {"prior_role": self._brief(request, prior), "implies": implies}
        links = {"self": f"{request.application_url}/v3/{path}"}
        return json_response({"role_inference": body, "links": links})

    def _brief(self, request: webob.Request, role: Role) -> dict[str, Any]:
        """A role as an inference names it: id, link, name (in Keystone's order)."""
        return {
            "id": role.id,
            "links": {"self": f"{request.application_url}/v3/roles/{role.id}"},
            "name": role.name,
        }
