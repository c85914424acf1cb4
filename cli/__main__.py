"""``python -m cli``: the same as the ``oka-qa`` command."""
from cli.main import main

main()
