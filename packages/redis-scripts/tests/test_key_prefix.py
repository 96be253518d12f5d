"""The key prefix every Redis adapter puts before its keys."""

import pytest

from lml_redis_scripts import checked_key_prefix


@pytest.mark.parametrize("prefix", ["lml", "lml-test-0a1b", "tenant_1.idem:v2"])
def test_given_letters_digits_and_separators_then_the_prefix_is_kept(prefix: str) -> None:
    assert checked_key_prefix(prefix) == prefix


@pytest.mark.parametrize("prefix", ["", "{lml}", "lml idem", "lml}", "lml\n"])
def test_given_a_prefix_redis_cluster_would_misread_then_it_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="may only use letters, digits"):
        checked_key_prefix(prefix)
