"""What every test shares."""

import gc

import pytest


@pytest.fixture(autouse=True)
def _collector_unfrozen():
    """`app.post_init` freezes the objects alive at start (`app.settle_memory`): right
    for the bot's process, not for this one, where the next tests' garbage must stay
    collectable. Undone after each test."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
