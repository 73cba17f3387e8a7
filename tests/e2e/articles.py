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
