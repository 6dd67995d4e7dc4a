"""`python -m register`: the same command as the `register` console script."""

from .cli import run

if __name__ == "__main__":
    run()
