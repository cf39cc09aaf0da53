# Chaque phrase que la commande `cinetpay` affiche pour les personnes, en français. Son jumeau
# anglais est ../en/cli.ftl : tout message ajouté d'un côté doit l'être de l'autre (un test échoue
# sinon). La sortie JSON est destinée aux programmes et n'est jamais traduite. Voir
# docs/adr/0007-french.md. Vocabulaire : payout = transfert, payout run = campagne, balance = solde,
# merchant = marchand ; les montants s'écrivent 1 868 200 XOF (espaces fines insécables).

## Tableaux et totaux

bucket-paid = payés
bucket-rejected = rejetés
bucket-failed = échoués
bucket-pending = en attente
bucket-unknown = inconnus
bucket-total = total
col-status = statut
col-payouts = transferts
col-amount = montant
error-prefix = erreur : {$message}
json-unwritable = impossible d'écrire le JSON : {$reason}

## Progression

phase-sending = envoi
phase-waiting = attente

## balance

balance-all = tous
col-country = pays
col-available = disponible
col-in-use = engagé
col-total = total

## send

send-announce = envoi de {$amount} au {$phone} sous le client_transaction_id {$id}
send-already-held = CinetPay détient déjà ce transfert sous le client_transaction_id {$id} : rien n'a été envoyé (il n'est jamais payé deux fois)
send-unknown = le sort du transfert est inconnu : il a peut-être été enregistré. {$retry}
send-accepted-not-final = accepté, pas encore final : suivez-le avec `cinetpay status --client-transaction-id {$id}` (ne le renvoyez pas : il est enregistré)
send-failed = échec : aucun argent n'est parti pour le client_transaction_id {$id}
outcome-accepted = accepté
outcome-failed = échoué
outcome-unknown = inconnu
row-to = bénéficiaire
row-amount = montant
row-outcome = résultat
row-error = erreur
row-status = statut
row-comment = commentaire
col-payout = transfert

## status

col-receiver = bénéficiaire
col-operator = opérateur
col-sending = envoi
col-comment = commentaire

## watch

watch-no-run = le journal {$journal} ne contient encore aucune campagne : rien à suivre
watch-title = campagne {$run} (journal : {$journal})

## contacts

cannot-read = impossible de lire {$path} : {$reason}
file-problems = {$file} : { $count ->
        [one] {$count} problème
       *[other] {$count} problèmes
    } ; rien n'a été envoyé :
contact-refused = refusé : {$reason}
contact-existed = déjà un contact
contact-added = ajouté
col-phone = numéro
col-result = résultat

## sandbox

sandbox-failed = impossible de démarrer le bac à sable : {$reason}
sandbox-serving = bac à sable en service sur {$url} (API d'administration : {$admin})
sandbox-use = aucun argent réel ne bouge ; utilisez-le depuis un autre terminal avec :
sandbox-stop = Ctrl-C pour arrêter.
ctrl-c-failed = impossible d'attendre Ctrl-C : {$reason}
embedded-sandbox-failed = impossible de démarrer le bac à sable intégré : {$reason}
embedded-sandbox = bac à sable intégré sur {$url} : aucun argent réel ne bouge

## Interruptions

interrupted-watch = interrompu ; watch n'envoie rien et chaque statut vu est dans le journal : relancez-le pour continuer le suivi
interrupted-contacts = interrompu ; les contacts déjà ajoutés le restent (en ajouter un de nouveau est sans effet)
interrupted = interrompu

## Campagnes de paiement

payout-started = campagne {$run} ; en cas d'interruption, reprenez-la avec : {$resume}
sending-stopped = envoi arrêté : {$reason}
payout-unfinished = pas terminé : {$pending} en attente, {$unknown} au sort inconnu. Suivez-les sans rien envoyer : `cinetpay{$flags} watch --journal {$journal}` ; ou reprenez la campagne (rien de ce qui est déjà parti n'est renvoyé) : `{$resume}`
interrupted-dry-run = interrompu ; une simulation n'envoie rien et n'écrit aucun journal
interrupted-sandbox = interrompu ; le bac à sable intégré s'arrête avec ce processus (aucun argent n'a bougé)
interrupted-payout = interrompu ; tout ce qui s'est passé est dans le journal. Reprenez la campagne avec `{$resume}` : les lignes envoyées, ou peut-être envoyées, sont recherchées et jamais envoyées deux fois.
rows-and-xof = { $rows ->
        [one] {$rows} ligne
       *[other] {$rows} lignes
    }, {$amount}
summary-title = campagne {$run} : transferts de {$file} (journal : {$journal})
summary-earlier = dont {$rows} déjà chez CinetPay quand ce journal a commencé (non envoyées par lui)
col-line = ligne
col-state = état
col-reason = motif
summary-more = ... et {$count} autres lignes non payées (toutes les lignes : --json, ou le journal)
state-sending = en cours d'envoi
state-accepted = accepté
state-pending = en attente
state-paid = payé
state-rejected = rejeté
state-failed = échoué
state-unknown = inconnu

## Confirmation et simulation

confirm-question = envoyer {$what} pour la campagne {$run} depuis le compte marchand dont l'empreinte de clé d'API est {$merchant}, sur {$url}
dry-run-title = simulation de {$file} : rien n'est envoyé
dry-run-left-out = { $count ->
        [one] {$count} ligne déjà envoyée (ou peut-être envoyée) par la campagne {$run} est laissée de côté
       *[other] {$count} lignes déjà envoyées (ou peut-être envoyées) par la campagne {$run} sont laissées de côté
    }
country-lacking = {$country} (besoin de {$needed}, disponible {$available})
balance-not-enough = le solde ne suffit pas pour : {$countries}
col-to-send = à envoyer
col-enough = suffisant
enough-yes = oui
enough-no = NON
no-terminal = {$question} : aucun terminal où poser la question, donc rien n'a été envoyé. Ajoutez --yes pour envoyer sans confirmation (scripts, cron), ou lancez la commande dans un terminal.
confirm-prompt = {$question} ? Tapez oui pour envoyer :
answer-unreadable = impossible de lire la réponse : {$reason} ; rien n'a été envoyé
not-confirmed = non confirmé ; rien n'a été envoyé

## Identifiants

credentials-unreadable = impossible de lire le fichier d'identifiants {$path} : {$reason}
credentials-bad-line = {$path} : une ligne n'est pas de la forme CLÉ=VALEUR (syntaxe .env)
credentials-bad-line-at = {$path}:{$line} : ligne qui n'est pas de la forme CLÉ=VALEUR (syntaxe .env)
credentials-in-file = dans {$path}
credentials-in-env = dans l'environnement
credentials-and = et
credentials-missing = {$names} absent(s) {$origin} : définissez-les dans l'environnement ou utilisez --credentials-file (ou --sandbox pour essayer sans compte)

## Renvoyer un transfert

send-how-to-retry = Vérifiez-le d'abord avec `cinetpay status --client-transaction-id {$id}`. Pour réessayer, attendez au moins { $minutes ->
        [one] {$minutes} minute
       *[other] {$minutes} minutes
    } (CinetPay traite peut-être encore la requête partie : --request-timeout plus --processing-window), puis relancez la commande avec `--client-transaction-id {$id}` : elle recherche d'abord cet id et n'envoie rien si CinetPay le détient, et CinetPay ne paie jamais deux fois un même id, alors qu'un nouvel id est un nouveau transfert.

## Fichiers CSV

csv-row-error = ligne {$line}, {$field} : {$message}
interrupted-send = interrompu : le transfert a pu être envoyé, ou non, sous le client_transaction_id {$id}. {$retry}

## Commencer ou poursuivre une campagne

journal-holds-other-run = le journal {$journal} contient la campagne {$run} (commencée le {$started}), donc rien n'a été envoyé. Pour poursuivre cette campagne, retirez --run et --new-run. Une autre campagne demande son propre journal (--journal NOUVEAU_CHEMIN) et paie {$pays}, même celles que la campagne {$run} a payées.
new-journal-needs-run = {$journal} est un nouveau journal : cette commande commence donc une nouvelle campagne de paiement. Nommez-la avec --run NOM (par ex. --run 2026-11-salaires). Les lignes d'une campagne reçoivent toujours les mêmes ids et CinetPay ne paie jamais deux fois un id : le nom d'une campagne déjà payée ne repaie aucune de ses lignes, et un nouveau nom paie {$pays}. Rien n'a été envoyé.
other-account = {$reason} Pour payer ce fichier avec ces identifiants, commencez un nouveau journal sous le même nom de campagne : --journal NOUVEAU_CHEMIN --run {$run}. De ses {$rows}, celles que CinetPay détient déjà pour ce compte (le même compte avec une nouvelle clé d'API) sont recherchées et jamais renvoyées ; les autres sont payées depuis ce compte.
maybe-sent-by-other-journal = absent chez CinetPay au début de ce journal ; un autre journal de la campagne {$run} l'a peut-être envoyé à l'instant : recherché de nouveau avant tout envoi
new-run-pays-all = chaque ligne de ce fichier ({$rows})
new-run-pays-derived = chaque ligne de ce fichier sans client_transaction_id propre ({$rows} ; les autres gardent leurs ids et ne sont jamais payées deux fois)
note-found-derived = remarque : {$what} de la campagne {$run} étaient déjà chez CinetPay au début de ce journal (envoyées par un autre journal de la campagne) : elles ne sont pas renvoyées. Si ce fichier est un nouveau paiement, il lui faut un nouveau nom de campagne, dans un nouveau journal : cela repaie ces {$what}.
note-found-own = remarque : {$what} dont le client_transaction_id vient du fichier étaient déjà chez CinetPay sous ces ids : elles ne sont pas renvoyées. Un nom de campagne ne change pas ces ids ; pour les payer de nouveau comme un nouveau paiement, donnez-leur de nouveaux ids dans le fichier.
sent-row-line =   ligne {$line} à l'envoi : {$row}, {$state}
sent-rows-gone = {$file} a changé depuis le début de la campagne {$run}, et { $count ->
        [one] {$count} transfert déjà envoyé (ou peut-être envoyé) par la campagne n'y figure plus tel qu'envoyé (modifié ou retiré) :
       *[other] {$count} transferts déjà envoyés (ou peut-être envoyés) par la campagne n'y figurent plus tels qu'envoyés (modifiés ou retirés) :
    }
sent-rows-gone-advice = Un transfert envoyé existe quoi que dise le fichier maintenant : rien n'a donc été envoyé. Remettez ces lignes telles qu'elles étaient ; pour payer un autre montant à quelqu'un, gardez la ligne et ajoutez-en une autre pour la différence.
file-changed = {$file} a changé depuis le début de la campagne {$run} ({$started}). Pour poursuivre la campagne avec le fichier tel qu'il est, ajoutez --allow-changed-file : cela paie {$added} nouvelles dans le fichier, abandonne {$dropped} jamais envoyées qui en ont disparu, et ne renvoie aucune des {$sent} lignes déjà envoyées. Rien n'a été envoyé.
id-taken = ligne {$line} : le client_transaction_id {$id} est déjà pris chez CinetPay par un autre transfert ({$amount}, {$transaction}) : donnez un autre id à la ligne. Rien n'a été envoyé.
lookup-undecided = impossible de savoir si CinetPay détient déjà la ligne {$line} ({$id}) : {$reason}. Rien n'a été envoyé ; la même commande posera de nouveau la question.

## Envoyer et suivre une campagne

unknown-reason = sort inconnu : la réponse s'est perdue ; une relance le recherche avant tout envoi
journal-window-not-marked = le journal {$path} n'a pas pu marquer « en cours d'envoi » les {$rows} lignes suivantes (il en a trouvé {$found}) ; aucune d'elles n'a été envoyée. Relancez la même commande payout : les lignes déjà envoyées ne sont jamais renvoyées.
journal-payee-missing = le journal n'a pas de bénéficiaire pour {$row} (un journal d'une version plus ancienne de cinetpay) ; plus rien n'a été envoyé. Relancez la même commande payout : elle reprend d'abord les bénéficiaires du fichier, et les lignes déjà envoyées ne sont jamais renvoyées.
line-fault = ligne {$line} : {$reason}
file-changed-while-reading = {$file} a changé pendant que cette campagne le lisait{$first} ; plus rien n'a été envoyé. Relancez la même commande une fois le fichier remis en ordre : les lignes déjà envoyées ne sont jamais renvoyées.
earlier-attempt-running = pas encore chez CinetPay, mais une tentative antérieure peut encore y être en cours jusqu'à {$until} : il sera recherché de nouveau à ce moment, jamais envoyé avant
id-held-by-other = CinetPay détient un autre transfert sous cet id ({$amount}, {$transaction}) ; cette ligne a pu être payée, ou non : vérifiez avec `cinetpay status --client-transaction-id {$id}`
lookup-failed = échec de la recherche : {$reason}
waiting-for-earlier = { $count ->
        [one] {$count} ligne n'est pas encore chez CinetPay, mais une tentative antérieure
       *[other] {$count} lignes ne sont pas encore chez CinetPay, mais une tentative antérieure
    } (une campagne interrompue, ou un autre journal de cette campagne) peut encore y être en cours (--request-timeout + --processing-window depuis son départ possible) : attente de {$wait} (jusqu'à {$until}) avant une nouvelle recherche ; rien n'est envoyé entre-temps, et une interruption est sans danger

## Fichiers CSV : colonnes et cellules

csv-no-payouts = le fichier ne contient aucune ligne de transfert
csv-no-contacts = le fichier ne contient aucune ligne de contact
csv-id-taken = {$id} est aussi l'identifiant que la ligne {$other} reçoit du run (elle n'a pas de client_transaction_id propre), et deux lignes ne peuvent pas être payées sous un même identifiant. Rendez à cette ligne le client_transaction_id qu'elle avait avant (une cellule vide si elle n'en avait pas) : chaque ligne garde alors l'identifiant sous lequel elle a été payée, et rien n'est payé deux fois.
csv-id-reused = {$id} figure aussi à la ligne {$first}
csv-unreadable-file = impossible de lire le fichier : {$reason}
csv-unreadable-header = impossible de lire l'en-tête : {$reason}
csv-unknown-column = colonne inconnue {$column} (colonnes connues : {$known})
csv-missing-column = colonne manquante {$column}
csv-unreadable = CSV illisible : {$reason}
csv-too-many-cells = {$cells} cellules pour {$columns} colonnes
csv-column-twice = la colonne {$column} figure deux fois (colonnes {$first} et {$second}, noms comparés sans tenir compte de la casse) : gardez-en une
csv-not-whole = {$raw} n'est pas un nombre entier de XOF
csv-no-notify-url = pas de notify_url : remplissez la colonne ou passez --notify-url

## Journaux et durées

journal-other-service = le service à l'adresse {$want}, pas {$have}
journal-other-merchant = le marchand dont l'empreinte de clé d'API est {$want}, pas {$have}
journal-other-account = le journal {$journal} consigne la campagne {$run} faite avec {$what} ; ses états ne disent rien de ce compte, donc rien n'a été envoyé. Pour poursuivre cette campagne, utilisez son service et ses identifiants.
journal-missing = aucun journal à {$path} : donnez le chemin utilisé par `cinetpay payout --journal`, ou FICHIER.csv.journal.sqlite
journal-busy = le journal {$path} est utilisé par un autre processus cinetpay : attendez qu'il se termine
journal-format = le journal {$path} est au format {$found}, ce cinetpay lit le format {$wanted} : poursuivez cette campagne avec la version de cinetpay qui l'a commencée ; rien n'a été envoyé
journal-error = journal {$path} : {$reason}
duration-invalid = {$raw} n'est pas une durée ({$reason} ; exemples : 500ms, 2s, 10m, 1h 30m)
duration-too-long = {$raw} dépasse la durée maximale acceptée, 7 jours

## Derniers mots

send-id-taken = le client_transaction_id {$id} est déjà pris chez CinetPay par un autre transfert ({$amount}, {$transaction}) : rien n'a été envoyé. Un nouveau transfert demande un nouvel id.
send-lookup-undecided = impossible de savoir si CinetPay détient déjà le client_transaction_id {$id} : {$reason}. Rien n'a été envoyé ; la même commande posera de nouveau la question.
request-timeout-zero = --request-timeout doit être supérieur à 0
processing-window-invalid = --processing-window ({$window}) doit valoir au moins --request-timeout ({$timeout}) et au plus 1 jour ; rien n'a été envoyé
runtime-failed = impossible de démarrer le moteur asynchrone : {$reason}
