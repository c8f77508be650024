"""Application services: one unit of work per user action, called the same way by the CLI, the
GUI and the tests."""
