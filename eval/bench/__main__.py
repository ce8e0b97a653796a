"""``python -m eval.bench``: see ``eval.bench.run``."""
from eval.bench.run import main

main()
