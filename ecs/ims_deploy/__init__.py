"""Blue-green deploy, rollback and status for the IMS API on ECS behind an ALB listener."""

__version__ = "1.0.0"
