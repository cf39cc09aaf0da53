# L'aide de `cinetpay` en français : une entrée par commande (`cinetpay-payout`), par option
# (`cinetpay-payout--dry_run`) et par texte placé après les options (`cinetpay-payout-after`).
# L'aide anglaise est dans les commentaires des définitions clap (cli/src) ; un test vérifie que
# chaque commande et chaque option ont ici leur texte, et rien d'autre.

## Les mots de clap lui-même

help-flag = Afficher l'aide
help-subcommand = Afficher cette aide, ou celle des sous-commandes données
version-flag = Afficher la version
heading-commands = Commandes
value-command = COMMANDE
usage-heading = Utilisation :

## cinetpay

cinetpay = La ligne de commande `cinetpay` : transferts mobile money en masse depuis un fichier CSV, reprenables.
cinetpay-after =
    Codes de sortie :
      0  succès : tous les transferts sont payés, ou la requête a reçu sa réponse
      1  erreur : authentification, solde insuffisant, panne du service ou du réseau, identifiants absents
      2  données invalides, rien n'est envoyé : lignes ou colonnes CSV incorrectes, options incorrectes,
         nouveau journal sans --run, CSV modifié depuis le début de sa campagne, journal d'une autre campagne,
         service ou marchand, confirmation refusée
      3  échec partiel : des transferts ont été rejetés ou ont échoué, aucun n'est resté indécis
      4  inachevé : un transfert est encore en attente, ou son sort est inconnu, quand la commande a
         cessé d'attendre. Suivez-le sans rien envoyer : `cinetpay watch --journal CHEMIN` (payout) ou
         `cinetpay status --client-transaction-id ID` (send, qui affiche son id). `payout` avec le même
         journal reprend sa campagne et n'envoie jamais deux fois une ligne ; `send` ne peut être relancé
         qu'avec `--client-transaction-id ID` (un nouvel id est un nouveau transfert), au moins
         --request-timeout plus --processing-window (2 minutes par défaut) après son interruption :
         il commence par rechercher cet id

    Les identifiants viennent de l'environnement (CINETPAY_API_KEY, CINETPAY_API_PASSWORD) ou du
    fichier donné par --credentials-file (lignes CINETPAY_API_KEY=... et CINETPAY_API_PASSWORD=...).
    Ils ne sont jamais acceptés en option et jamais affichés.
cinetpay--base_url = URL de base de l'API Transfert (par défaut : la production, https://client.cinetpay.com/v1)
cinetpay--lang = Langue des messages : ceux de la commande et les descriptions du service (par défaut : la locale, LANG=fr_* pour le français)
cinetpay--json = Écrire du JSON lisible par un programme sur la sortie standard au lieu de tableaux (sans barre de progression)
cinetpay--sandbox = Travailler avec un bac à sable intégré (marchand et solde fournis, transferts finaux en une seconde environ ; --base-url et les identifiants sont ignorés) : aucun argent réel ne bouge
cinetpay--credentials_file = Fichier avec des lignes CINETPAY_API_KEY=... et CINETPAY_API_PASSWORD=... (au lieu de l'environnement)
cinetpay--max_attempts = Tentatives par requête quand le réseau ou le service échoue (1 désactive les nouvelles tentatives)
cinetpay--request_timeout = Combien de temps attendre la réponse à une requête avant d'y renoncer (par ex. 30s)
cinetpay--processing_window = Combien de temps le service peut encore traiter une requête dont la réponse s'est perdue, compté depuis son départ (au moins --request-timeout, au plus un jour). Rien n'est renvoyé sous le même id avant ce délai, pas même par la relance d'une commande interrompue
cinetpay--verbose = Journaliser sur la sortie d'erreur : -v pour info, -vv pour debug (les secrets ne sont jamais journalisés)

## cinetpay balance

cinetpay-balance = Afficher le solde de transfert, avec le détail par pays

## cinetpay contacts

cinetpay-contacts = Gérer les bénéficiaires (un numéro doit être un contact avant de pouvoir recevoir de l'argent)
cinetpay-contacts-add = Ajouter un contact décrit par les options, ou plusieurs depuis --file
cinetpay-contacts-add--phone = Numéro national (avec --prefix), ou un numéro complet +225...
cinetpay-contacts-add--prefix = Indicatif du pays (225, 221...) ; facultatif avec un numéro +...
cinetpay-contacts-add--name = Prénom
cinetpay-contacts-add--surname = Nom
cinetpay-contacts-add--email = Adresse e-mail
cinetpay-contacts-add--file = Fichier CSV avec les colonnes phone, prefix (facultative), name, surname, email (facultative)

## cinetpay send

cinetpay-send = Envoyer un transfert (inscrit d'abord le bénéficiaire comme contact si nécessaire)
cinetpay-send--phone = Numéro national (avec --prefix), ou un numéro complet +225...
cinetpay-send--prefix = Indicatif du pays (225, 221...) ; facultatif avec un numéro +...
cinetpay-send--amount = Montant entier en XOF
cinetpay-send--notify_url = URL que CinetPay notifie quand le transfert est final
cinetpay-send--client_transaction_id = Votre identifiant du transfert (la clé d'idempotence) ; généré s'il est absent
cinetpay-send--payment_method = Code opérateur (OM, MOMO, WAVECI, OMSN, MTNCM...) ; déduit du numéro s'il est absent
cinetpay-send--name = Prénom du bénéficiaire (pour le contact)
cinetpay-send--surname = Nom du bénéficiaire (pour le contact)
cinetpay-send--email = E-mail du bénéficiaire (pour le contact)
cinetpay-send--wait = Interroger le service jusqu'à ce que le transfert soit payé ou rejeté
cinetpay-send--interval = Délai entre deux interrogations du statut (par ex. 2s, 500ms, 1m)
cinetpay-send--timeout = Cesser d'attendre après ce délai (code 4 si un transfert n'est toujours pas final)

## cinetpay payout

cinetpay-payout = Payer chaque ligne d'un fichier CSV : tout contrôler, journaliser, envoyer par paquets, attendre, récapituler
cinetpay-payout-after =
    Colonnes du CSV (en-tête obligatoire, séparateur ',' ou ';', chaque colonne une seule fois) :
      phone                  chiffres du numéro national (avec prefix), ou un numéro complet +225...
      prefix                 indicatif du pays (225, 221...) ; facultatif si phone commence par +
      amount                 XOF entiers, au moins le minimum du pays, multiple de 5
      name, surname          le bénéficiaire (inscrit comme contact si nécessaire)
      email                  facultatif
      payment_method         code opérateur facultatif (OM, MOMO, WAVECI, OMSN, MTNCM, TMONEYTG...)
      client_transaction_id  facultatif ; sinon dérivé du nom de la campagne, du numéro, du montant et du
                             rang d'apparition de la ligne (noms et numéros de ligne n'y changent rien)
      notify_url             facultatif si --notify-url est donné

    Campagnes : une campagne de paiement a un nom. Un nouveau journal exige --run NOM (ou --new-run
    pour un nom généré ; avec --sandbox, un nom est inventé). Le même nom de campagne donne toujours
    le même id à une ligne, et CinetPay ne paie jamais deux fois un id : reprendre le nom d'une
    campagne ne repaie jamais ses lignes, un nouveau nom repaie toutes les lignes du fichier (la paie
    du mois suivant est une nouvelle campagne), sauf les lignes qui ont leur propre client_transaction_id, qui le gardent.

    Journal : FICHIER.csv.journal.sqlite à côté du fichier, ou --journal CHEMIN. Relancer la même
    commande reprend la campagne qu'il contient : les lignes payées, rejetées ou acceptées ne sont jamais
    renvoyées ; celles dont le sort était inconnu sont d'abord recherchées, et renvoyées sous le même
    id seulement quand plus aucune requête antérieure ne peut être en cours (--request-timeout +
    --processing-window depuis son départ possible ; la commande attend, en disant combien de temps).
    Les lignes sont reconnues par leur id, pas par leur position : corriger des noms ou réordonner ne
    change rien ; les lignes ajoutées ou retirées depuis le début de la campagne ne sont prises qu'avec
    --allow-changed-file (le refus dit, en lignes et en XOF, ce que cela paierait) ; des transferts
    déjà envoyés qui ne sont plus dans le fichier tels qu'envoyés arrêtent la campagne.

    Avant d'envoyer, une campagne demande confirmation sur un terminal ; --yes s'en dispense, et sans
    terminal il est obligatoire. --dry-run montre ce qui serait envoyé par pays, face au solde, et
    s'arrête.

    Codes de sortie : 0 tout est payé ; 1 erreur (authentification, solde, service ; envoi arrêté) ;
    2 lignes ou options invalides, fichier modifié, journal d'une autre campagne ou d'un autre compte ; rien
    n'est envoyé ; 3 des transferts rejetés ou en échec ; 4 des transferts encore en attente ou au sort
    inconnu quand la commande a cessé d'attendre : `cinetpay watch --journal CHEMIN` les suit sans rien
    envoyer, et la même commande payout reprend la campagne (elle n'envoie jamais deux fois une ligne).
cinetpay-payout--file = Le fichier CSV des transferts
cinetpay-payout--journal = Base du journal (par défaut : FICHIER.csv.journal.sqlite à côté du fichier ; avec --sandbox, un nouveau fichier dans le répertoire temporaire)
cinetpay-payout--run = Nom de la campagne de paiement (par ex. 2026-11-salaires) : nécessaire pour commencer une campagne dans un nouveau journal ; les lignes d'une même campagne reçoivent toujours les mêmes ids, elles ne sont donc jamais payées deux fois
cinetpay-payout--new_run = Commencer une nouvelle campagne avec un nom généré : chaque ligne du fichier est payée, même si une campagne précédente a payé les mêmes lignes
cinetpay-payout--notify_url = URL de notification des lignes dont la cellule notify_url est vide
cinetpay-payout--chunk_size = Transferts par requête
cinetpay-payout--max_concurrency = Requêtes de transferts en cours simultanément
cinetpay-payout--no_wait = Ne pas attendre les statuts finaux (le code de sortie est alors 4 tant que des transferts sont en attente)
cinetpay-payout--dry_run = Afficher ce qui serait envoyé, par pays face au solde, et s'arrêter : rien n'est envoyé et aucun journal n'est écrit
cinetpay-payout--yes = Envoyer sans demander de confirmation (nécessaire pour envoyer sans terminal où demander, par ex. dans un script ; --sandbox ne demande jamais)
cinetpay-payout--allow_changed_file = Poursuivre une campagne dont le CSV a changé : ses nouvelles lignes sont payées, les lignes jamais envoyées qui ont disparu sont abandonnées (les transferts déjà envoyés doivent rester dans le fichier)
cinetpay-payout--interval = Délai entre deux interrogations du statut (par ex. 2s, 500ms, 1m)
cinetpay-payout--timeout = Cesser d'attendre après ce délai (code 4 si un transfert n'est toujours pas final)

## cinetpay status

cinetpay-status = Afficher l'état des transferts, par un seul identifiant
cinetpay-status--transaction_id = L'identifiant de transaction CinetPay (par ex. EA180627.122753.M279245)
cinetpay-status--client_transaction_id = Votre propre identifiant du transfert
cinetpay-status--lot = Un numéro de lot : tous les transferts du lot

## cinetpay watch

cinetpay-watch = Interroger le service jusqu'à ce que chaque transfert d'un lot, ou du journal d'une campagne de paiement, soit final
cinetpay-watch--lot = Un numéro de lot renvoyé par un envoi
cinetpay-watch--journal = Le journal d'une campagne de paiement (FICHIER.csv.journal.sqlite, ou le --journal CHEMIN de `payout`)
cinetpay-watch--interval = Délai entre deux interrogations du statut (par ex. 2s, 500ms, 1m)
cinetpay-watch--timeout = Cesser d'attendre après ce délai (code 4 si un transfert n'est toujours pas final)

## cinetpay sandbox

cinetpay-sandbox = Servir le bac à sable (une imitation locale de l'API Transfert) jusqu'à Ctrl-C
cinetpay-sandbox--addr = Adresse d'écoute
cinetpay-sandbox--manual_clock = Les transferts n'avancent que sur ordre (POST /_sandbox/clock/advance) au lieu de se terminer seuls en une demi-seconde environ

## cinetpay completions

cinetpay-completions = Écrire sur la sortie standard le script de complétion du shell (bash, zsh, fish, elvish, powershell)
cinetpay-completions--shell = Le shell : bash, zsh, fish, elvish ou powershell
