"""``python -m kitserver course``: the course site (what ``make serve`` runs)."""

from kitserver.app import main

main()
