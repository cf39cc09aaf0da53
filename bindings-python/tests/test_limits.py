"""Settings and decisions that belong to the core, reached from Python (issue 12).

``Client(limits=...)`` only converts: the core applies the rules and judges the values, so a bad
limit or a payout under a raised minimum is refused by the core, with the field named, before
any request leaves (the sandbox counts the ``/v1`` requests it received). ``lang`` is parsed by
the core, and ``is_retryable`` is the core's rule.
"""

from __future__ import annotations

import json
import pickle
import urllib.request

import pytest

import cinetpay_transfer as ct
from cinetpay_transfer.testing import Sandbox
from conftest import transfer


def requests_received(sandbox: Sandbox) -> int:
    with urllib.request.urlopen(f"{sandbox.admin_url}/requests") as answer:
        return int(json.load(answer)["received"])


def test_a_payout_under_a_raised_minimum_is_refused_before_any_request(sandbox: Sandbox) -> None:
    raised = ct.Limits(countries={"225": ct.CountryRule(iso="CI", national_digits=(8, 10), min_amount=5000)})
    client = sandbox.client(limits=raised)
    with pytest.raises(ct.ValidationError) as refused:
        client.pay([transfer("under-minimum", amount=1000)])
    assert (refused.value.field, refused.value.index) == ("amount", 0)
    assert "5000" in str(refused.value).replace(" ", "").replace(",", ""), str(refused.value)
    assert requests_received(sandbox) == 0
    # The same payout passes with the core's own minimum (200), and a big enough one with the raised one.
    assert sandbox.client().pay([transfer("default-minimum", amount=1000)])[0].outcome is ct.SendOutcome.ACCEPTED
    assert client.pay([transfer("over-minimum", amount=5000)])[0].outcome is ct.SendOutcome.ACCEPTED


def test_limits_may_be_a_mapping_and_keep_the_core_defaults_for_what_is_left_out(sandbox: Sandbox) -> None:
    client = sandbox.client(limits={"max_amount": 1500})
    with pytest.raises(ct.ValidationError) as refused:
        client.pay([transfer("over-maximum", amount=2000)])
    assert refused.value.field == "amount"
    with pytest.raises(ct.ValidationError) as refused:  # the default amount multiple (5) still holds
        client.pay([transfer("not-a-multiple", amount=501)])
    assert refused.value.field == "amount"
    assert requests_received(sandbox) == 0


@pytest.mark.parametrize(
    ("limits", "field"),
    [
        (ct.Limits(max_amount=0), "limits.max_amount"),
        (ct.Limits(amount_multiple=0), "limits.amount_multiple"),
        (ct.Limits(default_min_amount=2_000_000), "limits.default_min_amount"),
        (ct.Limits(default_national_digits=(9, 3)), "limits.default_national_digits"),
        (ct.Limits(countries={"225": ct.CountryRule("CI", (8, 10), 0)}), "limits.countries.225.min_amount"),
        (ct.Limits(countries={"+225": ct.CountryRule("CI", (8, 10), 200)}), "limits.countries"),
        ({"max_amount": 1.5}, "limits.max_amount"),
        ({"countries": {"225": {"iso": "CI", "min_amount": 200}}}, "limits.countries.225.national_digits"),
    ],
)
def test_a_bad_limit_is_a_validation_error_naming_it_before_any_request(
    sandbox: Sandbox, limits: object, field: str
) -> None:
    with pytest.raises(ct.ValidationError) as refused:
        ct.Client(sandbox.api_key, sandbox.password, base_url=sandbox.base_url, limits=limits)  # type: ignore[arg-type]
    assert refused.value.field == field, str(refused.value)
    assert requests_received(sandbox) == 0


def test_lang_is_read_by_the_core() -> None:
    assert ct.Client("k", "p", lang="fr") is not None
    with pytest.raises(ct.ValidationError) as refused:
        ct.Client("k", "p", lang="de")
    assert refused.value.field == "lang"
    assert '"de"' in str(refused.value)


def test_is_retryable_is_the_core_decision() -> None:
    unreachable = ct.Client("k", "p", base_url="http://127.0.0.1:9/v1", max_attempts=1, connect_timeout=2)
    with pytest.raises(ct.TransportError) as failed:
        unreachable.balance()
    assert failed.value.is_retryable is True
    assert pickle.loads(pickle.dumps(failed.value)).is_retryable is True
    with pytest.raises(ct.ValidationError) as refused:
        ct.Client("k", "p", lang="de")
    assert refused.value.is_retryable is False
    assert "is_retryable" not in repr(refused.value)
