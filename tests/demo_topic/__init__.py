"""A fixture topic for the harness and CLI tests: small claims of every rule over toy simulations.

Registered only by the tests (``registry.TOPICS["demo"] = "tests.demo_topic"``); never shipped.
"""

ALGORITHMS = {"gauss": "i.i.d. normal samples (toy)"}
INSTANCES = {"unit": "mean 1, sd 1 (toy)"}
