"""Articles the /timeline tests forward: written for the tests, shaped like channel posts.

ARCHIVE_TALKS has the dates of a typical long-read: a year in a claim (1954), a year and a visit (2000), the
year of the talks (2001), a month (February 2022), a modified month (early October 2025), a century and a
decade, and a horizon ("in 50 years") that must never become a date on the line.
"""

ARCHIVE_TALKS = (
    "Archive Opens Record of 2001 Kremlin Call on NATO Membership\n"
    "Photo: Archive\n"
    "\n"
    "A newly released transcript shows that the Russian leader asked Washington to think about Russia "
    "joining the alliance, a public archive in the United States reported.\n"
    "\n"
    "The archive made public the record of the 2001 talks between Vladimir Putin and George W. Bush. "
    'In the record, Putin asks about membership and says his country feels "shut out" of the bloc.\n'
    "\n"
    "Bush replied that he saw Russia as a Western country rather than an adversary. He also predicted that "
    "in 50 years China might become a major rival for everyone.\n"
    "\n"
    "Putin told his guest that in 1954 the Soviet leadership had already asked to join the alliance. "
    "He said the objections the bloc raised in the mid-20th century no longer applied by the early 2000s.\n"
    "\n"
    "Speaking at the Valdai forum in early October 2025, Putin repeated that Moscow tried to enter the "
    "alliance in 2000, when Bill Clinton was visiting the Russian capital.\n"
    "\n"
    "He made similar claims in February 2022 when he announced the full-scale invasion of Ukraine.\n"
    "\n"
    "Leave a comment"
)

# Two outlets reporting the same news in nearly the same words: one event, two sources.
WIRE_FIRST = (
    "Harbour Authority Opens Northern Pier\n"
    "\n"
    "The harbour authority of Norvik opened the new northern pier on 12 March 2024 after four years of work. "
    "Officials said the pier doubles the space for cargo ships. The mayor welcomed the project for NATO supply "
    "vessels and local fishing crews alike."
)
WIRE_SECOND = (
    "Northern Pier Ready for Ships\n"
    "\n"
    "On 12 March 2024 the Norvik harbour authority opened its new northern pier, a project that took four "
    "years. NATO planners had asked for deeper berths. The first cargo ships are expected within days, the "
    "port said in a statement."
)


def chronology(n: int = 25) -> str:
    """A long chronology: one dated event a sentence, years 1901, 1905, ... in text order."""
    lines = ["Chronicle of the Norvik Harbour Bridge", ""]
    for i in range(n):
        year = 1901 + 4 * i
        lines.append(f"In {year}, the harbour board approved plan number {i + 1} for the crossing.")
    return "\n".join(lines)


# Numbers that are not dates, and dates that cannot be.
NUMBERS_POST = (
    "Club Reports a Busy Season\n"
    "\n"
    "Tickets cost $1,999 for the season and 2,500 euros for a box. Fans can call +1 555 2001 2022 or 555-1954 "
    "to book. The team won 3-1 and then 2-2, and 1954 supporters came to the last game. Its founder joked "
    "that the club would still play in the year 99999. The board said the new stand opened on 31 February "
    "2022, a date nobody could check."
)

# No date at all: a topic can be mentioned without anything to place on a time line.
UNDATED_POST = (
    "Gardeners Praise Mild Weather\n"
    "\n"
    "Gardeners in the valley said the mild weather helped their tomatoes grow. Local shops sold more seeds "
    "than usual, and the garden club asked members to share their harvest."
)
