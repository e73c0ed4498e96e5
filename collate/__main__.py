"""``python -m collate``: the same as the ``collate`` console script."""

from collate.cli import main

if __name__ == "__main__":
    main()
