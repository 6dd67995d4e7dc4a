"""`python -m register`: the same command as the `register` console script."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="register")
