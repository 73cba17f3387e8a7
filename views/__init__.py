"""What the fronts say: the message catalogues, Telegram-HTML building blocks, and the answers of the use
cases rendered as text. Shared by the Telegram handlers and the CLI (which prints the same text, made plain),
so nothing here imports `telegram`: keyboards, callback data and replies are handlers' own.
"""
