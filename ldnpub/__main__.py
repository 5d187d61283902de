"""python -m ldnpub: the same as the ldnpub command."""

from .cli import main

main()
