"""Shared machinery: seeding, statistics, claims, sweeps, storage, plotting, validation, registry."""
