"""The one rule of these examples, in one place: they pay on the in-process sandbox unless the
command line says ``--live`` AND names the payee and the amount. Credentials in the shell are not
enough: without ``--live`` they are never read.

    python quickstart.py                              sandbox, a demo payee (no money moves)
    python quickstart.py --live PHONE AMOUNT          live: shows the payout and the balance, asks
    python quickstart.py --live --yes PHONE AMOUNT    live without a terminal (scripts, CI)

Live runs read CINETPAY_API_KEY and CINETPAY_API_PASSWORD, and CINETPAY_BASE_URL when it is set
(default: production); the tests point it at a local server. Nothing here reads it without --live.

The examples speak the language of the locale: French when LC_ALL, LC_MESSAGES or LANG says fr_*
(``LANG=fr_CI.UTF-8 python quickstart.py``), English otherwise; their client is built with that
``lang``, so its errors follow too.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import List, NoReturn, Optional

PRODUCTION_BASE_URL = "https://client.cinetpay.com/v1"


def _locale_lang() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


LANG = _locale_lang()  #: "en" or "fr": the examples' language, and their client's


def say(en: str, fr: str) -> str:
    """The English or the French text, in the examples' language."""
    return fr if LANG == "fr" else en


def xof(amount: int) -> str:
    """``1000000`` as ``1000000 XOF`` in English and ``1 000 000 XOF`` (narrow no-break spaces) in French."""
    return f"{amount:,} XOF".replace(",", "\u202f") if LANG == "fr" else f"{amount} XOF"


@dataclass(frozen=True)
class Live:
    phone: str  #: +2250701020304
    amount: int  #: whole XOF
    yes: bool  #: confirmed on the command line
    base_url: str
    api_key: str = field(repr=False)
    password: str = field(repr=False)


def refuse(message: str) -> NoReturn:
    script = os.path.basename(sys.argv[0])
    usage = say(
        f"usage: python {script} [--live [--yes] PHONE AMOUNT]   (PHONE with its country code: +225..., AMOUNT in whole XOF)",
        f"utilisation : python {script} [--live [--yes] NUMÉRO MONTANT]   (NUMÉRO avec son indicatif pays : +225..., MONTANT en XOF entiers)",
    )
    print(f"{message}\n{usage}\n{say('Nothing was sent.', 'Rien n’a été envoyé.')}", file=sys.stderr)
    sys.exit(2)


def live_args(argv: Optional[List[str]] = None) -> Optional[Live]:
    """Reads the command line: None means the sandbox. Exits with code 2, before any request,
    when a live run is not fully asked for."""
    argv = sys.argv[1:] if argv is None else argv
    flags = [a for a in argv if a.startswith("--")]
    words = [a for a in argv if not a.startswith("--")]
    unknown = [f for f in flags if f not in ("--live", "--yes")]
    if unknown:
        refuse(say(f"unknown option {unknown[0]}", f"option inconnue {unknown[0]}"))
    if "--live" not in flags:
        if words or "--yes" in flags:
            refuse(say("a payee, an amount and --yes only mean something with --live",
                       "un bénéficiaire, un montant et --yes n’ont de sens qu’avec --live"))
        return None
    if len(words) != 2:
        refuse(say("--live needs the payee and the amount on the command line",
                   "--live demande le bénéficiaire et le montant sur la ligne de commande"))
    phone = re.sub(r"[\s.-]", "", words[0])
    if not re.fullmatch(r"\+\d{3}\d{6,12}", phone):
        refuse(say(f"the payee must be a full number with its country code (+225...), not {words[0]!r}",
                   f"le bénéficiaire doit être un numéro complet avec son indicatif pays (+225...), pas {words[0]!r}"))
    if not re.fullmatch(r"[1-9]\d*", words[1]):
        refuse(say(f"the amount must be whole XOF, not {words[1]!r}",
                   f"le montant doit être en XOF entiers, pas {words[1]!r}"))
    api_key = os.environ.get("CINETPAY_API_KEY")
    password = os.environ.get("CINETPAY_API_PASSWORD")
    if not api_key or not password:
        refuse(say("--live needs CINETPAY_API_KEY and CINETPAY_API_PASSWORD in the environment",
                   "--live demande CINETPAY_API_KEY et CINETPAY_API_PASSWORD dans l’environnement"))
    yes = "--yes" in flags
    if not yes and not sys.stdin.isatty():
        refuse(say("--live asks for confirmation on a terminal; without one, add --yes",
                   "--live demande confirmation sur un terminal ; sans terminal, ajoutez --yes"))
    base_url = os.environ.get("CINETPAY_BASE_URL") or PRODUCTION_BASE_URL
    return Live(phone, int(words[1]), yes, base_url, api_key, password)


def mask_phone(phone: str) -> str:
    """``+2250701020304`` -> ``+225 07******04`` (every CinetPay country code has 3 digits)."""
    national = phone[4:]
    return f"+{phone[1:4]} {national[:2]}{'*' * (len(national) - 4)}{national[-2:]}"


def confirm_live(live: Live, available: int) -> bool:
    """Shows what a live run is about to pay; True when the user typed "yes" or "oui" (or gave --yes)."""
    print(say(f"LIVE on {live.base_url}: REAL MONEY", f"EN DIRECT sur {live.base_url} : ARGENT RÉEL"))
    payee, amount, left = mask_phone(live.phone), xof(live.amount), xof(available)
    print(say(f"about to pay {amount} to {payee} (available: {left})",
              f"paiement imminent de {amount} au {payee} (disponible : {left})"))
    if live.yes:
        return True
    try:
        prompt = say("Type yes to pay, anything else to stop: ", "Tapez oui pour payer, autre chose pour arrêter : ")
        return input(prompt).strip() in ("yes", "oui")
    except (EOFError, KeyboardInterrupt):  # Ctrl-D, Ctrl-C: stop
        print()
        return False
