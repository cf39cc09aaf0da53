"""``manage.py check``: the ``CINETPAY`` setting, before the first payout needs it."""

from __future__ import annotations

from typing import Any, List

from django.core.checks import CheckMessage, Error, register

from . import conf

HINT = (
    'Add to your settings: CINETPAY = {"API_KEY": os.environ["CINETPAY_API_KEY"], '
    '"API_PASSWORD": os.environ["CINETPAY_API_PASSWORD"]} (keep the values out of your code).'
)


@register("cinetpay_transfer")
def check_settings(app_configs: Any = None, **kwargs: Any) -> List[CheckMessage]:
    return [Error(problem, hint=HINT, id="cinetpay_transfer.E001") for problem in conf.problems()]
