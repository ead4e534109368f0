"""status: which colour is live, what each colour runs, its target health, recent deployments."""

from datetime import datetime

from ims_deploy.fleet import COLOURS, Fleet, short_name

RECENT = 5


def status(fleet: Fleet) -> dict:
    snapshot = fleet.snapshot()
    forwards = {snapshot.colour_of(arn) or short_name(arn): weight for arn, weight in snapshot.weights.items()}
    live = [name for name, weight in forwards.items() if weight > 0]
    colours = {}
    for name in COLOURS:
        colour = snapshot.colours[name]
        health = fleet.health(colour)
        colours[name] = {
            "service": colour.service,
            "task_definition": short_name(colour.task_definition),
            "task_definition_arn": colour.task_definition,
            "desired_count": colour.desired_count,
            "running_count": colour.running_count,
            "target_group": short_name(colour.target_group_arn),
            "target_group_arn": colour.target_group_arn,
            "target_health": {
                "summary": health.summary(),
                "healthy": health.healthy,
                "targets": [{"id": t.id, "port": t.port, "state": t.state, "reason": t.reason}
                            for t in health.targets],
            },
            "deployments": [_deployment(name, d) for d in colour.raw.get("deployments", [])],
            "events": [{"at": _iso(e.get("createdAt")), "message": e.get("message", "")}
                       for e in colour.raw.get("events", [])[:RECENT]],
        }
    recent = sorted((d for c in colours.values() for d in c["deployments"]),
                    key=lambda d: d["created_at"] or "", reverse=True)[:RECENT]
    return {
        "cluster": fleet.cluster,
        "listener_arn": fleet.listener_arn,
        "live": live[0] if len(live) == 1 else None,
        "listener_forwards": forwards,
        "colours": colours,
        "recent_deployments": recent,
    }


def format_status(doc: dict) -> str:
    live = doc["live"] or "unclear (" + ", ".join(f"{k}={v}" for k, v in doc["listener_forwards"].items()) + ")"
    lines = [f"cluster {doc['cluster']}: live colour is {live}", ""]
    for name, colour in doc["colours"].items():
        marker = "*" if name == doc["live"] else " "
        lines.append(f"{marker} {name:<6} {colour['service']:<24} {colour['task_definition']:<24} "
                     f"{colour['running_count']}/{colour['desired_count']} running   "
                     f"{colour['target_group']}: {colour['target_health']['summary']}")
    lines += ["", "recent deployments:"]
    for d in doc["recent_deployments"]:
        lines.append(f"  {d['created_at'] or '-':<26} {d['colour']:<6} {d['status']:<8} "
                     f"{d['rollout_state'] or '-':<12} {d['task_definition']:<24} "
                     f"{d['running_count']}/{d['desired_count']} running")
    return "\n".join(lines)


def _deployment(colour: str, deployment: dict) -> dict:
    return {
        "colour": colour,
        "id": deployment.get("id"),
        "status": deployment.get("status"),
        "rollout_state": deployment.get("rolloutState"),
        "task_definition": short_name(deployment.get("taskDefinition", "")),
        "desired_count": deployment.get("desiredCount", 0),
        "running_count": deployment.get("runningCount", 0),
        "created_at": _iso(deployment.get("createdAt")),
        "updated_at": _iso(deployment.get("updatedAt")),
    }


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value
