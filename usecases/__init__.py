"""The application layer: what a user can do with Précis, whatever the front (Telegram, the CLI, the console).

Plain async functions and small services over the repository, the analysis workers and the page fetcher:
ingest a post, a link, a file, a series; answer summary, quotes, people, timeline; plan and deliver digests;
export and forget. Nothing here imports `telegram` or renders text: a problem the user can fix is a
`UserError` naming a catalogue message, and the fronts (handlers/, bot/) say it in the chat's language.
"""
