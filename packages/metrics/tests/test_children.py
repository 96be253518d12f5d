from prometheus_client import CollectorRegistry, Counter

from lml_metrics import Children


def test_given_the_same_label_values_then_the_same_child_is_returned_and_counts() -> None:
    registry = CollectorRegistry()
    counter = Counter("things_total", "Things.", ("kind",), registry=registry)
    children = Children(counter)

    children.labels("a").inc()
    children.labels("a").inc()
    children.labels("b").inc()

    assert children.labels("a") is counter.labels("a")
    assert registry.get_sample_value("things_total", {"kind": "a"}) == 2
    assert registry.get_sample_value("things_total", {"kind": "b"}) == 1
