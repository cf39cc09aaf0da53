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
