"""Qt item models, one per module, each checked with ``QAbstractItemModelTester`` in the tests."""
