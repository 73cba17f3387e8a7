"""Articles the end-to-end tests forward: written for the tests, shaped like real channel posts."""

BRIDGE_POST = """Harbour Bridge Plan Approved After Long Debate
Photo: Archive

The city council of Norvik approved the construction of a new harbour bridge on Tuesday, ending a debate that lasted three years.

Mayor Elena Varga said the bridge would cut travel times across the harbour by half. "This is the most important decision this council has taken in a decade," Varga said after the vote.

The project will cost 480 million euros and is expected to open in 2029. Critics argued that the money should have gone to public transport instead.

Opposition leader Tomas Brenner called the vote rushed. He pointed out that the environmental review had not been finished.

Construction is scheduled to begin in March 2026.

Leave a comment
READ ALSO"""

SECOND_POST = """Rail Strike Halts Trains Across the Region

Train drivers in the region stopped work on Monday in a dispute over pay, leaving thousands of commuters stranded.

The drivers' union said the strike would last 48 hours unless the operator improved its offer. Union head Mara Olsen said members had waited long enough.

The operator said it regretted the disruption and called for talks."""

# The shapes of a typical agency report on a declassified conversation (fictional people, our own words): a
# president named in full and then by surname, "he", a role standing for him ("The President of France"),
# "According to the American president ...", a negation that is no statement, and an agency as a source.
ARCHIVE_POST = """Declassified Notes Reveal 2003 Talks Between Moreau and Hale on the Alliance

World News
NWR
Declassified Notes Reveal 2003 Talks Between Moreau and Hale on the Alliance
Photo: Archive

Newly released notes show that the two leaders spoke at length about trade and the future of the alliance, NWR reports.

The state archive has released notes of the 2003 talks between French President Luc Moreau and then U.S. President Henry Hale. The notes show that Moreau asked for a seat at the planning table, saying that Paris felt "left outside" the process.

Hale replied that he saw France as a close partner and not as a rival. He also noted that within twenty years, trade disputes could become the main risk. According to the American president, the prosperity of Europe depends on open markets.

Moreau insisted that his country wanted to be treated as an equal. He pointed out that France had helped to found the alliance. The President of France also recalled that in 1966 his country had left the integrated command. "We may come back, but only as equals," Moreau said.

In a later interview, Moreau stated that the talks had been friendly. He did not mention the notes in that interview.

Leave a comment
READ ALSO"""

# Two people who share a surname, and a speaker named by surname only (the Moreau of the post above).
HARBOUR_TAX_POST = """Harbour Tax Vote Delayed

The council postponed the vote on the harbour tax until next month.

Finance Minister Anna Berg said the delay would cost the city two million euros. "We cannot wait forever," Anna Berg said.

Shipping executive Erik Berg argued that the tax would drive trade to other ports. "This will empty our docks within a year," Erik Berg told reporters.

Moreau, who visited the city last week, said the dispute was a local matter."""

# A news page as a site serves it: navigation, structured metadata, the article, a footer.
FERRY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Island ferry doubles its summer timetable | Island Gazette</title>
<meta property="og:site_name" content="Island Gazette">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Island Ferry Doubles Its Summer Timetable",
 "author": {"@type": "Person", "name": "Petra Holm"},
 "datePublished": "2025-05-02T08:15:00+02:00"}
</script></head>
<body>
<nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/weather">Weather</a></nav>
<article>
<h1>Island Ferry Doubles Its Summer Timetable</h1>
<p>The ferry company serving the outer islands will run twice as many crossings this summer, after a record number of bookings in the spring, the company announced on Friday.</p>
<p>"We have never seen demand like this, and we would rather add boats than turn people away," said managing director Sven Aaberg at a press conference in the harbour office.</p>
<p>The extra crossings start on 1 June and run until the end of August. A second vessel, leased from a mainland operator, will cover the early morning and late evening routes.</p>
<p>Residents of the smaller islands welcomed the change but asked the company to keep fares at last year's level. The company said prices would be reviewed in the autumn.</p>
</article>
<footer><p>Sign up for our newsletter to get the latest island news in your inbox.</p></footer>
</body></html>
"""
FERRY_TITLE = "Island Ferry Doubles Its Summer Timetable"

# A channel's own words about the page, longer than a headline: kept, and the page added after it.
FERRY_TEASER = """Big news for island commuters. The ferry company serving the outer islands will run twice as many crossings this summer, after a record number of bookings in the spring. Residents have long asked for more boats on the early routes, and the company finally listened."""

# An article its channel published in three posts.
LIBRARY_PARTS = [
    """City Library Reopens After Two Years of Renovation

The central library of Norvik reopened its doors on Saturday after a renovation that took two years and cost 22 million euros. Hundreds of readers queued outside before the opening.

Head librarian Ingrid Solberg said the building now had twice as much space for children and a new reading hall on the top floor.""",
    """The renovation was paid for by the city and by a foundation set up by a local shipping family. Work began in the spring of 2023 and was delayed by six months when builders found damage in the roof.

"Every delay was worth it, because the roof will now last another century," Solberg said at the ceremony.""",
    """The library will be open seven days a week from June. Borrowing remains free for all residents, and visitors from other towns can get a card for a small yearly fee.

Mayor Elena Varga called the library the heart of the city and thanked the builders for their patience.""",
]

# One article as two channels post it: each adds its own furniture around the same words.
SHARED_BODY = """Water Prices to Rise in the Northern District

The water company of the northern district will raise its prices by eight percent from July, the regional regulator confirmed on Wednesday.

The company said the money would pay for new pipes in the oldest neighbourhoods, where leaks waste almost a fifth of the water pumped.

Consumer groups called the rise too steep and asked the regulator to spread it over two years."""
SHARED_AS_ALPHA = (
    SHARED_BODY
    + """

Subscribe to Alpha News: @alphanews"""
)
SHARED_AS_BETA = (
    """🔥🔥🔥
"""
    + SHARED_BODY.replace("\n\n", "\n\n\n")
    + """

Photo: Beta Daily
#water #prices
@betadaily"""
)

# A plain text file a user might send.
REPORT_TXT = """Harbour Cleanup Finds Tonnes of Lost Fishing Gear

Volunteers removed more than three tonnes of lost fishing nets from the harbour floor during a weekend cleanup, the organisers said on Monday.

Divers worked in pairs for two days, and a crane from the shipyard lifted the heaviest nets onto the quay.

The organisers said they would repeat the cleanup every autumn and asked fishing crews to report lost gear."""
