# vitrine: the UI strings of the default theme and the poster, in Dutch.
# A site overrides any of them in its own i18n/nl.ftl, message by message.

skip-to-content = Naar de inhoud
language-switch = Taal
switch-to = Lees deze pagina in het { $language }
home-link = { $site }: home
cases-heading = Cases
case-count = { $count ->
    [one] { $count } case
   *[other] { $count } cases
}
client = Opdrachtgever
date = Datum
published = Gepubliceerd op { $date }
facts-heading = Facts & figures
fact-source = Bron: { $source }
quote-heading = Wat de klant zegt
# aanhalingstekens rond het citaat van de klant, op de pagina en (het openende, groot) op de affiche
quote-open = „
quote-close = ”
strategy-heading = Strategie
contact-heading = Meer weten over deze case?
contact-cta = Neem contact op met { $name }
contact-email = Mail { $name }
related-heading = Meer cases
tags-heading = Trefwoorden
all-cases = Alle cases
archive-heading = Eerdere cases, per jaar
read-case = Lees de case
not-found-title = Pagina niet gevonden
not-found-text = Deze pagina bestaat niet (meer). Misschien vindt u wat u zoekt bij onze cases.
alias-moved = Deze case staat nu op
choose-language-title = Kies een taal
choose-language-text = Deze site is er in meerdere talen.
feed-title = { $site }: cases
feed-link = Nieuwe cases (Atom-feed)
footer-text = Een overzicht van onze cases.
poster-kicker = Strategie in één oogopslag
poster-lines = { $count ->
    [1] Eén strategische lijn
    [2] Twee strategische lijnen
    [3] Drie strategische lijnen
    [4] Vier strategische lijnen
    [5] Vijf strategische lijnen
   *[other] { $count } strategische lijnen
}
poster-contact = Contact
poster-download = Download de strategie op A3
poster-file = PDF, { $size }
poster-preview = De A3-poster ‘{ $title }’: voorbeeld
share-image = { $client }: { $title }
date-long = { $day } { $month } { $year }
month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december

# tag pages
tag-title = Trefwoord: { $tag }
tag-description = { $count ->
    [one] Eén case
   *[other] { $count } cases
} over { $tag }.
tags-title = Alle trefwoorden
no-tags = Er zijn nog geen trefwoorden.

# vitrine new case: what a new case file starts with
new-case-client = Naam van de opdrachtgever
new-case-lead = Schrijf hier de inleiding: voor wie werkten we, wat was de vraag en wat leverde het op?
new-case-question = Vraag
new-case-approach = Aanpak
new-case-result = Resultaat

# het zoekvak: hoeveel cases een zoekopdracht vond (`#` staat voor het aantal)
search-label = Zoek in de cases
search-count = { $count ->
    [one] { $count } case gevonden
   *[other] { $count } cases gevonden
}
search-none = Geen case gevonden
filter-legend = Filter de cases
filter-tag = Trefwoord
filter-client = Opdrachtgever
filter-year = Jaar
filter-any = Alle
filter-clear = Wis de filters
filter-more = Meer cases
filter-title = { $filter }: { $value }
filter-description = { $filter }: { $value }, { $count ->
    [one] één case
   *[other] { $count } cases
}.
# the example site's own filter (`filters: [sector]` in site.yaml)
filter-sector = Sector

# de lijst van alle cases (`/nl/cases/`), in pagina's
section-page-title = { $title }, pagina { $page } van { $pages }
section-description = Alle { $count } cases van { $site }, de nieuwste eerst.
pagination = Pagina's
page-previous = Vorige
page-next = Volgende
page-number = Pagina { $page }

# de webeditor (Decap CMS, admin/): de namen van de formulieren en velden
cms-cases = Cases
cms-case = Case
cms-people = Contactpersonen
cms-person = Contactpersoon
cms-home = Home
cms-needed = Nodig als dit onderdeel is ingevuld
cms-title = Titel
cms-client = Opdrachtgever
cms-date = Datum
cms-summary = Samenvatting
cms-slug = Adres (leeg: gemaakt van de titel)
cms-draft = Concept (niet gepubliceerd)
cms-tags = Trefwoorden
cms-contact = Contactpersoon
cms-image = Foto
cms-image_alt = Wat er op de foto staat
cms-quote = Citaat
cms-text = Tekst
cms-author = Van wie
cms-facts = Facts & figures
cms-value = Getal
cms-label = Wat het telt
cms-source = Bron
cms-strategy = Strategie
cms-story = Verhaal
cms-lines = Hoofdlijnen (1 tot 5)
cms-related = Meer cases
cms-aliases = Eerdere adressen
cms-translated_from = Vertaald uit
cms-body = Tekst van de case
cms-name = Naam
cms-role = Functie
cms-email = E-mail
cms-photo = Foto
cms-description = Beschrijving
