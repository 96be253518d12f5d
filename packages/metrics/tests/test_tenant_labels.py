from lml_metrics import REGISTRY, BoundedLabels, observe_tenant_request


def test_given_fewer_tenants_than_the_limit_then_each_keeps_its_label() -> None:
    labels = BoundedLabels(limit=2)
    assert [labels.label("org_a"), labels.label("org_b"), labels.label("org_a")] == [
        "org_a",
        "org_b",
        "org_a",
    ]


def test_given_more_tenants_than_the_limit_then_the_rest_share_other() -> None:
    labels = BoundedLabels(limit=2)
    labels.label("org_a")
    labels.label("org_b")
    assert labels.label("org_c") == "other"
    assert labels.label("org_a") == "org_a"


def test_a_tenant_request_is_counted_by_status_class() -> None:
    labels = BoundedLabels(limit=5)
    before = REGISTRY.get_sample_value(
        "lml_http_tenant_requests_total", {"tenant": "org_m", "status_class": "4xx"}
    )
    observe_tenant_request("org_m", 404, labels)
    after = REGISTRY.get_sample_value(
        "lml_http_tenant_requests_total", {"tenant": "org_m", "status_class": "4xx"}
    )
    assert after == (before or 0) + 1
