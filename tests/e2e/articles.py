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
