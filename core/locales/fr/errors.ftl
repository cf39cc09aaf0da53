# Le texte lisible de chaque erreur du SDK, en français. Son jumeau anglais est ../en/errors.ftl :
# tout message ajouté d'un côté doit l'être de l'autre (un test échoue sinon). Le `message` et la
# `description` du service sont des arguments, jamais traduits. Voir docs/adr/0007-french.md.
# Les noms de champs (amount, phone, client_transaction_id...) restent ceux du code.

## Refus du service

api-refused-described = CinetPay a refusé la demande : {$code} {$message} ({$description})
api-refused = CinetPay a refusé la demande : {$code} {$message}
api-refused-code = CinetPay a refusé la demande avec le code {$code}
outcome-unknown = résultat inconnu pour { $count ->
        [one] {$count} transfert
       *[other] {$count} transferts
    } ({$cause}) : { $count ->
        [one] recherchez-le
       *[other] recherchez-les
    } par client_transaction_id avant tout nouvel envoi : {$ids}

## Où se trouve l'erreur dans les données (ajouté au texte)

error-field = [champ : {$field}]
error-field-item = [champ : {$field}, élément {$item}]

## Réglages du client

credentials-missing = indiquez une clé d'API et son mot de passe, ou un fournisseur de jeton
api-key-empty = la clé d'API est vide
password-empty = le mot de passe de l'API est vide
base-url-invalid = base_url doit être une URL http(s) absolue
setting-below-one = {$field} doit valoir au moins 1
processing-window-invalid = processing_window doit être au moins égal à request_timeout et ne pas dépasser un jour
lang-invalid = lang doit valoir "en" ou "fr", pas "{$value}"
limit-min-above-max = {$field} ({$min}) ne doit pas dépasser limits.max_amount ({$max})
limit-digits-invalid = {$field} doit être une plage d'au moins 1 chiffre, la plus petite valeur en premier
limit-calling-code-invalid = les clés de limits.countries doivent être des indicatifs de 1 à 3 chiffres, pas "{$prefix}"
token-provider-timeout = le fournisseur de jeton n'a remis aucun jeton en {$limit}
http-client-failed = impossible de créer le client HTTP : {$reason}

## Contrôle des données

field-empty = {$field} est vide
no-transfers = aucun transfert à envoyer
no-contacts = aucun contact à ajouter
query-one-id = donnez exactement un identifiant : transaction_id, client_transaction_id ou lot
id-twice = le client_transaction_id {$id} figure deux fois dans cet appel
email-invalid = l'e-mail {$email} n'est pas une adresse e-mail
payment-method-invalid = payment_method {$method} doit être un code d'opérateur, par exemple OM ou MOMO
phone-country-unknown = impossible de savoir de quel pays est le numéro {$phone} : indiquez son indicatif
phone-prefix-mismatch = le numéro {$phone} ne commence pas par son indicatif +{$prefix}
prefix-invalid = l'indicatif {$prefix} doit être un indicatif téléphonique de pays, par exemple 225
phone-not-digits = le numéro {$phone} ne doit contenir que des chiffres
phone-length = le numéro {$phone} a {$digits} chiffres ; les numéros du +{$prefix} en ont de {$min} à {$max}
amount-below-minimum = le montant de {$amount} XOF est inférieur au minimum de {$min} XOF pour le +{$prefix}
amount-above-maximum = le montant de {$amount} XOF dépasse le maximum de {$max} XOF
amount-multiple = le montant {$amount} XOF doit être un multiple de {$multiple}
notify-url-invalid = notify_url {$url} doit être une URL http(s) absolue
client-transaction-id-invalid = client_transaction_id {$id} doit compter de 1 à 100 caractères parmi les lettres, les chiffres et « - », « _ », « . », « : »
lookup-needs-id = une recherche a besoin du client_transaction_id du transfert

## Transport

transport-connect = connexion à CinetPay impossible
transport-connect-because = connexion à CinetPay impossible : {$reason}
transport-timeout = CinetPay n'a pas répondu à temps
transport-timeout-because = CinetPay n'a pas répondu à temps : {$reason}
transport-broken = la connexion a été coupée pendant la lecture de la réponse de CinetPay
transport-broken-because = la connexion a été coupée pendant la lecture de la réponse de CinetPay : {$reason}
transport-failed = la connexion à CinetPay a échoué
transport-failed-because = la connexion à CinetPay a échoué : {$reason}

## Réponses que le SDK ne sait pas lire

answer-too-large = HTTP {$status} avec une réponse de plus de {$limit} octets
answer-not-api = HTTP {$status} avec un corps qui n'est pas une réponse de l'API : {$body}
answer-not-api-unquoted = HTTP {$status} avec un corps qui n'est pas une réponse de l'API (non affiché : la réponse à une connexion peut contenir un jeton)
code-not-number = le `code` de la réponse n'est pas un nombre : {$code}
login-without-token = réponse de connexion sans jeton
balance-field-missing = réponse de solde sans `{$name}` numérique
status-without-id = statut de transfert sans `transaction_id`
status-without-amount = transfert {$id} sans `amount` numérique
outcome-not-reported = le service n'a pas dit ce que sont devenus les transferts
answer-missing-id = la réponse ne mentionne pas le client_transaction_id {$id} exactement une fois
answer-without-code = la réponse concernant {$id} n'a pas de code lisible
lookup-other-payouts = la recherche du client_transaction_id {$id} n'a renvoyé que d'autres transferts
lookup-several-payouts = la recherche du client_transaction_id {$id} a renvoyé plusieurs transferts sous cet identifiant

## Transferts et leur statut

transfer-not-found = aucun transfert avec {$field} {$value}
duplicate-other-payout = le client_transaction_id {$id} est déjà pris par un autre transfert ({$amount} XOF, {$transaction_id})

## Notifications

notification-not-form = le corps de la notification n'est pas encodé comme un formulaire : {$reason}
notification-no-field = le corps de la notification ne contient aucun champ de formulaire : ce n'est pas un ping, et il est illisible
notification-no-transaction-id = la notification n'a pas de transaction_id
notification-bad-amount = le montant notifié {$value} n'est pas un nombre entier
notification-mismatch = la notification indique {$field} {$notified} mais CinetPay indique {$actual} : notification rejetée
notified-transfer-unknown = le service ne connaît pas le transfert notifié

## Magasin de jetons (partagé par plusieurs processus, ADR 8)

token-store-url = token_store doit être « memory » ou une URL redis:// (redis://hôte:6379/0)
token-store-no-redis = cette version est compilée sans Redis (la fonctionnalité `redis` du crate cinetpay-transfer)
token-store-redis-url = URL Redis invalide ({$reason})
token-store-with-provider = un magasin de jetons partage les connexions : indiquez une clé d'API et son mot de passe, pas un fournisseur de jeton
token-store-unreachable = magasin de jetons (Redis) : {$reason}
login-refused-elsewhere = un autre processus partageant le magasin de jetons s'est vu refuser ces identifiants ({$code}) ; pas de nouvelle connexion avant {$seconds} s
item-unreadable = l'élément {$index} de la liste n'a pas pu être lu : {$reason}
item-changed = l'élément {$index} de la liste a changé pendant l'envoi ; il n'a pas été envoyé
