# vitrine: the UI strings of the default theme and the poster, in English.
# Also the last fallback for a message no other language has.

skip-to-content = Skip to content
language-switch = Language
switch-to = Read this page in { $language }
home-link = { $site }: home
cases-heading = Cases
case-count = { $count ->
    [one] { $count } case
   *[other] { $count } cases
}
client = Client
date = Date
published = Published on { $date }
facts-heading = Facts & figures
fact-source = Source: { $source }
quote-heading = What the client says
# the quotation marks around the client's quote, on the page and (the opening one, large) on the poster
quote-open = “
quote-close = ”
strategy-heading = Strategy
contact-heading = Want to know more about this case?
contact-cta = Get in touch with { $name }
contact-email = E-mail { $name }
related-heading = More cases
tags-heading = Tags
all-cases = All cases
archive-heading = Earlier cases, by year
read-case = Read the case
not-found-title = Page not found
not-found-text = This page does not exist (any more). Perhaps you will find what you are looking for among our cases.
alias-moved = This case has moved to
choose-language-title = Choose a language
choose-language-text = This site is available in several languages.
feed-title = { $site }: cases
feed-link = New cases (Atom feed)
footer-text = An overview of our cases.
poster-kicker = The strategy at a glance
poster-lines = { $count ->
    [1] One strategic line
    [2] Two strategic lines
    [3] Three strategic lines
    [4] Four strategic lines
    [5] Five strategic lines
   *[other] { $count } strategic lines
}
poster-contact = Contact
poster-download = Download the strategy on A3
poster-file = PDF, { $size }
poster-preview = The A3 poster “{ $title }”: a preview
share-image = { $client }: { $title }
date-long = { $month } { $day }, { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

# tag pages
tag-title = Tag: { $tag }
tag-description = { $count ->
    [one] One case
   *[other] { $count } cases
} about { $tag }.
tags-title = All tags
no-tags = There are no tags yet.

# vitrine new case: what a new case file starts with
new-case-client = Client name
new-case-lead = Write the lead here: who the work was for, what they asked and what came of it.
new-case-question = Question
new-case-approach = Approach
new-case-result = Result

# the search box: how many cases a search found (`#` stands for the number)
search-label = Search the cases
search-count = { $count ->
    [one] { $count } case found
   *[other] { $count } cases found
}
search-none = No case found
filter-legend = Filter the cases
filter-tag = Tag
filter-client = Client
filter-year = Year
filter-any = All
filter-clear = Clear the filters
filter-more = More cases
filter-title = { $filter }: { $value }
filter-description = { $filter }: { $value }, { $count ->
    [one] one case
   *[other] { $count } cases
}.
# the example site's own filter (`filters: [sector]` in site.yaml)
filter-sector = Sector

# the list of all cases (`/en/cases/`), in pages
section-page-title = { $title }, page { $page } of { $pages }
section-description = All { $count } cases of { $site }, newest first.
pagination = Pages
page-previous = Previous
page-next = Next
page-number = Page { $page }

# the web editor (Decap CMS, admin/): the names of the forms and fields
cms-cases = Cases
cms-case = Case
cms-people = Contact people
cms-person = Contact person
cms-home = Home
cms-needed = Needed when this part is filled in
cms-title = Title
cms-client = Client
cms-date = Date
cms-summary = Summary
cms-slug = Address (empty: made from the title)
cms-draft = Draft (not published)
cms-tags = Tags
cms-contact = Contact person
cms-image = Image
cms-image_alt = What the image shows
cms-quote = Quote
cms-text = Text
cms-author = Said by
cms-facts = Facts & figures
cms-value = Figure
cms-label = What it counts
cms-source = Source
cms-strategy = Strategy
cms-story = Story
cms-lines = Main lines (1 to 5)
cms-related = Related cases
cms-aliases = Earlier addresses
cms-translated_from = Translated from
cms-body = Body
cms-name = Name
cms-role = Role
cms-email = Email
cms-photo = Photo
cms-description = Description
