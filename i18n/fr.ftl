# vitrine : les textes de l’interface du thème par défaut et de l’affiche, en français.
# Un site remplace n’importe lequel dans son propre i18n/fr.ftl, message par message.

skip-to-content = Aller au contenu
language-switch = Langue
# the page is read in French: the language named as running text names it
switch-to = Lire cette page en français
home-link = { $site } : accueil
cases-heading = Projets
case-count = { $count ->
    [one] { $count } projet
   *[other] { $count } projets
}
client = Client
date = Date
published = Publié le { $date }
facts-heading = Faits et chiffres
fact-source = Source : { $source }
quote-heading = Ce qu’en dit le client
# les guillemets autour de la citation du client, sur la page et (l’ouvrant, en grand) sur l’affiche
quote-open = «{"\u202F"}
quote-close = {"\u202F"}»
strategy-heading = Stratégie
contact-heading = Vous souhaitez en savoir plus sur le projet ?
contact-cta = Contactez { $name }
contact-email = Écrire à { $name }
related-heading = Autres projets
tags-heading = Mots-clés
all-cases = Tous les projets
archive-heading = Projets précédents, par année
read-case = Lire le projet
not-found-title = Page introuvable
not-found-text = Cette page n’existe pas (ou plus). Vous trouverez peut-être ce que vous cherchez parmi nos projets.
alias-moved = Ce projet se trouve désormais ici :
choose-language-title = Choisissez une langue
choose-language-text = Ce site existe en plusieurs langues.
feed-title = { $site } : projets
feed-link = Nouveaux projets (flux Atom)
footer-text = Un aperçu de nos projets.
poster-kicker = La stratégie en un coup d’œil
poster-lines = { $count ->
    [1] Un axe stratégique
    [2] Deux axes stratégiques
    [3] Trois axes stratégiques
    [4] Quatre axes stratégiques
    [5] Cinq axes stratégiques
   *[other] { $count } axes stratégiques
}
poster-contact = Contact
poster-download = Télécharger la stratégie en A3
poster-file = PDF, { $size }
poster-preview = L’affiche A3 «{"\u202F"}{ $title }{"\u202F"}» : aperçu
share-image = { $client } : { $title }
date-long = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

# tag pages
tag-title = Mot-clé : { $tag }
tag-description = { $count ->
    [one] Un projet
   *[other] { $count } projets
} avec le mot-clé { $tag }.
tags-title = Tous les mots-clés
no-tags = Il n’y a pas encore de mots-clés.

# vitrine new case : le contenu d’un nouveau fichier de cas
new-case-client = Nom du client
new-case-lead = Écrivez ici l’introduction : pour qui avons-nous travaillé, quelle était la demande et quel en fut le résultat ?
new-case-question = Demande
new-case-approach = Approche
new-case-result = Résultat

# le champ de recherche : combien de projets une recherche a trouvés (`#` tient lieu du nombre)
search-label = Rechercher un projet
search-count = { $count ->
    [one] { $count } projet trouvé
   *[other] { $count } projets trouvés
}
search-none = Aucun projet trouvé
filter-legend = Filtrer les projets
filter-tag = Mot-clé
filter-client = Client
filter-year = Année
filter-any = Tous
filter-clear = Effacer les filtres
filter-more = Plus de projets
filter-title = { $filter } : { $value }
filter-description = { $filter } : { $value }, { $count ->
    [one] un projet
   *[other] { $count } projets
}.
# the example site's own filter (`filters: [sector]` in site.yaml)
filter-sector = Secteur

# la liste de tous les projets (`/fr/projets/`), en pages
section-page-title = { $title }, page { $page } sur { $pages }
section-description = Les { $count } projets de { $site }, du plus récent au plus ancien.
pagination = Pages
page-previous = Précédente
page-next = Suivante
page-number = Page { $page }

# l’éditeur web (Decap CMS, admin/) : les noms des formulaires et des champs
cms-cases = Projets
cms-case = Projet
cms-people = Personnes de contact
cms-person = Personne de contact
cms-home = Accueil
cms-needed = Nécessaire si cette partie est remplie
cms-title = Titre
cms-client = Client
cms-date = Date
cms-summary = Résumé
cms-slug = Adresse (vide : faite à partir du titre)
cms-draft = Brouillon (non publié)
cms-tags = Mots-clés
cms-contact = Personne de contact
cms-image = Image
cms-image_alt = Ce que montre l’image
cms-quote = Citation
cms-text = Texte
cms-author = De qui
cms-facts = Faits et chiffres
cms-value = Nombre
cms-label = Ce qu’il compte
cms-source = Source
cms-strategy = Stratégie
cms-story = Récit
cms-lines = Lignes principales (1 à 5)
cms-related = Autres projets
cms-aliases = Adresses précédentes
cms-translated_from = Traduit de
cms-body = Texte du projet
cms-name = Nom
cms-role = Fonction
cms-email = E-mail
cms-photo = Photo
cms-description = Description
