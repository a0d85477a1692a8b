"""Demo data for trying the support assistant: `supportbot seed --demo` or `seed_demo()`."""

from ticketing.seed.demo import DemoSummary, seed_demo
from ticketing.seed.showcase import ShowcaseOrder

__all__ = ["DemoSummary", "ShowcaseOrder", "seed_demo"]
