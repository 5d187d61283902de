"""python -m ldnpub: the same as the ldnpub command."""

from ldnpub.commands.cli import main

main()
