"""The load test: a locust script and the runner that starts the stack around it (see docs/benchmarks.md)."""
