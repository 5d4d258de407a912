"""Workloads: sample requests counted with tiktoken, scenario presets, and the reports built on
the cost engine (``pricing.cost``)."""
