"""The audit trail: one function every service calls for decisions that must be traceable."""

from pages.models import AuditEntry


def _clean(value: str, limit: int) -> str:
    # Newlines in user-controlled text must not be able to forge log lines.
    return " ".join(str(value).split())[:limit]


def record(*, actor, action: str, target=None, request=None, **details) -> AuditEntry:
    ip = None
    if request is not None:
        ip = request.META.get("REMOTE_ADDR") or None
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=_clean(target, 200) if target is not None else "",
        ip_address=ip,
        details={key: (_clean(value, 500) if isinstance(value, str) else value) for key, value in details.items()},
    )
