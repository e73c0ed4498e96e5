"""The ``collate`` command line: each command parses, reads, makes one library call, renders.

Bad input ends with exit status 2 and one line on standard error naming the file and the
problem; no command prints a traceback (set ``COLLATE_DEBUG=1`` to see one).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from collate.errors import InputError
from collate.reader import read_text, read_witnesses
from collate.storage import atomic_write

F = TypeVar("F", bound=Callable[..., Any])


def _guarded(fn: F) -> F:
    """Turn InputError into the one-line exit-2 message, other failures into exit 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as err:
            click.echo(f"collate: error: {_one_line(str(err))}", err=True)
            sys.exit(2)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except BrokenPipeError:
            sys.exit(1)
        except Exception as err:  # an internal failure: one line, unless debugging
            if os.environ.get("COLLATE_DEBUG"):
                raise
            click.echo(f"collate: internal error: {type(err).__name__}: "
                       f"{_one_line(str(err))}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _one_line(message: str) -> str:
    """Escape control characters (a newline in a file name, say), so an error stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def _emit(text: str, out: str | None) -> None:
    """Write to ``-o OUT`` atomically, or to standard output."""
    if not text.endswith("\n"):
        text += "\n"
    if out and out != "-":
        target = Path(out)
        if target.is_dir():
            raise InputError(out, "is a directory, not a file")
        if not target.parent.is_dir():
            raise InputError(out, "output folder does not exist")
        try:
            if target.exists() and not target.is_file():
                # a device or pipe (/dev/stdout, /dev/null): write through it, never replace it
                with open(target, "w", encoding="utf-8") as fh:
                    fh.write(text)
            else:  # through any symlink, so the file it names is replaced, not the link
                atomic_write(target.resolve(), text)
        except OSError as err:
            raise InputError(out, f"cannot write: {err.strerror or err}") from None
    else:
        click.echo(text, nl=False)


def _output_options(formats: list[str], default: str) -> Callable[[F], F]:
    """The shared ``--format`` and ``-o`` options."""

    def decorate(fn: F) -> F:
        fn = click.option("-o", "--output", "output", metavar="OUT", default=None,
                          help="Write to OUT (atomically) instead of standard output.")(fn)
        fn = click.option("--format", "fmt", type=click.Choice(formats), default=default,
                          show_default=True, help="Output format.")(fn)
        return fn

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="collate")
def main() -> None:
    """Detect lacunae, align witnesses, restore what was lost, render collated editions."""


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@_output_options(["text", "json"], "text")
@_guarded
def detect(files: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Find every lacuna in each FILE (``-`` for standard input).

    In Python: ``collate.detect(text)``.
    """
    from collate.lacunae import detect as find
    from collate.render.lacunae import render_lacunae

    parts = []
    for path in files:
        name, text = read_text(path)
        lacunae = find(text)
        if fmt == "json":
            parts.append(json.dumps({"witness": name, "lacunae": [x.to_dict() for x in lacunae]},
                                    ensure_ascii=False))
        else:
            parts.append(render_lacunae(name, text, lacunae))
    _emit("\n".join(parts), output)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@_output_options(["table", "json", "csv", "tei", "html"], "table")
@click.option("--near", type=click.FloatRange(0.0, 1.0), default=0.7, show_default=True,
              help="Similarity from which two different tokens align as a variant.")
@_guarded
def align(files: tuple[str, ...], fmt: str, output: str | None, near: float) -> None:
    """Align the witnesses in FILE... (text, CollateX JSON or TEI).

    In Python: ``collate.collate(witnesses, near=X)``.
    """
    from collate.alignment import collate as align_witnesses

    witnesses = read_witnesses(files)
    if fmt in ("tei", "html"):
        from collate.edition import make_edition, render

        _emit(render(make_edition(witnesses, near=near, restore=False), fmt), output)
        return
    collation = align_witnesses(witnesses, near=near)
    if fmt == "json":
        from collate.render.data import to_json

        _emit(json.dumps(to_json(collation), ensure_ascii=False), output)
    elif fmt == "csv":
        from collate.render.data import to_csv

        _emit(to_csv(collation), output)
    else:
        from collate.render.table import render_table

        _emit(render_table(collation), output)


@main.command()
@click.argument("file", metavar="FILE")
@click.option("--witness", "witness_files", multiple=True, metavar="FILE",
              help="Another witness of the same text (repeatable).")
@click.option("--corpus", type=click.Path(exists=True), default=None,
              help="A text file or folder of texts to train the language model on.")
@click.option("--lang", default=None, help="Language code for the word prior (else detected).")
@click.option("--top", type=click.IntRange(1, 100), default=5, show_default=True,
              help="Candidates per lacuna.")
@_output_options(["json", "text", "tei", "html"], "json")
@_guarded
def restore(file: str, witness_files: tuple[str, ...], corpus: str | None, lang: str | None,
            top: int, fmt: str, output: str | None) -> None:
    """Propose ranked, calibrated reconstructions of every lacuna in FILE.

    In Python: ``collate.restore(text, witnesses=..., corpus=..., top=K)``.
    """
    name, text = read_text(file)
    others = read_witnesses(witness_files) if witness_files else []
    if fmt in ("tei", "html"):
        from collate.edition import make_edition, render
        from collate.model import Witness

        main_witness = Witness(Path(name).stem if file != "-" else "stdin", text, name)
        edition = make_edition([main_witness, *others], base=main_witness.id, corpus=corpus,
                               lang=lang, top=top)
        _emit(render(edition, fmt), output)
        return
    from collate.restoration import restore as restore_text

    result = restore_text(text, witnesses=others, corpus=corpus, top=top, lang=lang)
    result = dataclasses.replace(result, witness=name)
    if fmt == "json":
        _emit(json.dumps(result.to_dict(), ensure_ascii=False), output)
    else:
        from collate.render.leiden import render_restoration

        _emit(render_restoration(result), output)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@_output_options(["tei", "html", "text", "plain", "json"], "tei")
@click.option("--base", default="consensus", show_default=True, metavar="ID|consensus",
              help="The base text: a witness id, or the column-wise consensus.")
@click.option("--near", type=click.FloatRange(0.0, 1.0), default=0.7, show_default=True,
              help="Similarity from which two different tokens align as a variant.")
@click.option("--corpus", type=click.Path(exists=True), default=None,
              help="A text file or folder of texts to train the language model on.")
@click.option("--lang", default=None, help="Language code for the word prior (else detected).")
@_guarded
def edition(files: tuple[str, ...], fmt: str, output: str | None, base: str, near: float,
            corpus: str | None, lang: str | None) -> None:
    """Collate FILE..., restore every lacuna and render a collated edition.

    In Python: ``collate.edition.make_edition(witnesses)``.
    """
    from collate.edition import make_edition, render

    witnesses = read_witnesses(files)
    ids = [w.id for w in witnesses]
    if base != "consensus" and base not in ids:
        raise InputError(files[0], f"--base {base!r} is not a witness id (ids: {', '.join(ids)})")
    result = make_edition(witnesses, base=base, near=near, corpus=corpus, lang=lang)
    if fmt == "plain":
        from collate.render.plain import render_plain

        _emit(render_plain(result), output)
        return
    _emit(render(result, fmt), output)


@main.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=True))
@click.option("-o", "--output", "outdir", default="collate-out", show_default=True,
              metavar="OUTDIR", help="Folder for the editions and the summary.")
@click.option("--format", "formats", multiple=True, default=("tei", "html"), show_default=True,
              type=click.Choice(["tei", "html", "text", "json"]),
              help="Edition formats (repeatable).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:port); a LocalCluster when omitted.")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="Worker processes (default: all cores).")
@_guarded
def batch(directory: str, outdir: str, formats: tuple[str, ...], engine: str,
          scheduler: str | None, workers: int | None) -> None:
    """Build editions for every document of a corpus DIR (or CSV/JSON manifest).

    In Python: ``collate.batch(DIR, OUTDIR)``.
    """
    from collate.batch import batch as run_batch

    summary = run_batch(directory, outdir, formats=formats, engine=engine, scheduler=scheduler,
                        workers=workers)
    click.echo(summary.table())
    sys.exit(0 if summary.ok else 1)
