"""An import-linter contract that import-linter does not ship: no import cycle among modules.

import-linter's own ``acyclic_siblings`` looks at packages, so it would forbid the domain
packages of ``fakenova.compute.models`` from using each other's records both ways (a server
holds a flavor; a flavor's quota counts servers). What must never happen is a module that
imports itself back through others: that is what this contract checks, with Tarjan's
strongly connected components over grimp's graph.
"""

from __future__ import annotations

from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class AcyclicModulesContract(Contract):
    """``package``'s modules import each other without a cycle."""

    type_name = "acyclic_modules"
    package = fields.StringField()

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        package = str(self.package)
        modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
        cycles = _cycles(modules, lambda m: graph.find_modules_directly_imported_by(m))
        return ContractCheck(kept=not cycles, warnings=[], metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error("These modules import each other in a cycle:")
            for module in cycle:
                output.print(f"    {module}")
            output.new_line()


def _cycles(modules: list[str], imported_by: Any) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    inside = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(sorted(set(imported_by(root)) & inside)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(set(imported_by(child)) & inside))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found
