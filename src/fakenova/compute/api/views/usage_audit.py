"""``os-instance_usage_audit_log`` bodies: the same audit under a plural key for the index and
a singular one for a period before a timestamp."""

from __future__ import annotations

from typing import Any

from fakenova.compute.models.deployment.host_records import AuditLog


def audit(log: AuditLog) -> dict[str, Any]:
    return {
        "period_beginning": str(log.period_beginning),
        "period_ending": str(log.period_ending),
        "num_hosts": len(log.hosts),
        "num_hosts_done": len(log.done),
        "num_hosts_running": len(log.running),
        "num_hosts_not_run": len(log.not_run),
        "hosts_not_run": log.not_run,
        "total_instances": log.total_instances,
        "total_errors": log.total_errors,
        "overall_status": log.overall_status,
        "log": {
            host: {"state": state, "instances": items, "errors": errors, "message": message}
            for host, (state, items, errors, message) in log.logs.items()
        },
    }
