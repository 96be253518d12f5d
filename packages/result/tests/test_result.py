from lml_result import DependencyUnavailable, Err, Ok, Result


def describe(outcome: Result[int, str]) -> str:
    match outcome:
        case Ok(value):
            return f"ok {value}"
        case Err(error):
            return f"err {error}"


def test_given_an_ok_when_matched_then_the_value_is_bound() -> None:
    assert describe(Ok(3)) == "ok 3"
    assert Ok(3).is_ok()


def test_given_an_err_when_matched_then_the_error_is_bound() -> None:
    assert describe(Err("conflict")) == "err conflict"
    assert not Err("conflict").is_ok()


def test_results_compare_by_value() -> None:
    assert Ok([1]) == Ok([1])
    assert Ok(1) != Err(1)


def test_dependency_unavailable_names_the_dependency() -> None:
    fault = DependencyUnavailable("redis", "connection refused")
    assert fault.dependency == "redis"
    assert str(fault) == "redis is unavailable: connection refused"
