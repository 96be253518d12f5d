from lml_metrics import REGISTRY, observe_request, render


def sample(name: str, **labels: str) -> float:
    value = REGISTRY.get_sample_value(name, labels)
    return 0.0 if value is None else value


def test_given_an_answered_request_when_observed_then_count_and_latency_grow() -> None:
    labels = {"route": "/v1/things/{thing_id}", "method": "GET", "status": "200"}
    before = sample("lml_http_requests_total", **labels)
    observe_request("/v1/things/{thing_id}", "GET", 200, 0.003)
    assert sample("lml_http_requests_total", **labels) == before + 1
    assert sample("lml_http_request_duration_seconds_count", **labels) >= 1


def test_the_exposition_is_prometheus_text_with_the_http_metrics() -> None:
    observe_request("/livez", "GET", 200, 0.001)
    text = render().decode()
    assert "# TYPE lml_http_requests_total counter" in text
    bucket = (
        "lml_http_request_duration_seconds_bucket"
        '{le="0.001",method="GET",route="/livez",status="200"}'
    )
    assert bucket in text
