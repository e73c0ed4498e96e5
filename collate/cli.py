"""The ``collate`` command line: each command parses, reads, makes one library call, renders.

Every command reads its inputs with :func:`collate.reader.read_sources` (a CollateX JSON or
TEI file may hold several witnesses) and picks its renderer from the format table of
:mod:`collate.render`. Bad input ends with exit status 2 and one line on standard error naming
the file and the problem; a bad file among several is reported and the others are still
processed (exit status 2 at the end). Usage errors are one line too. No command prints a
traceback (set ``COLLATE_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.exceptions import NoArgsIsHelpError

from collate import __version__
from collate.defaults import DEFAULT_LEVEL, MIN_CONFIDENCE
from collate.errors import InputError, OptionError
from collate.progress import progress_bar
from collate.render import COLLATION_FORMATS, EDITION_FORMATS, RESTORATION_FORMATS
from collate.usage import error_line, one_line

if TYPE_CHECKING:
    from collate.model import Witness
    from collate.reader import Source

F = TypeVar("F", bound=Callable[..., Any])


def _guarded(fn: F) -> F:
    """Turn InputError into the one-line exit-2 message, other failures into exit 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as err:
            _fail([err])
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except BrokenPipeError:
            sys.exit(1)
        except Exception as err:  # an internal failure: one line, unless debugging
            if os.environ.get("COLLATE_DEBUG"):
                raise
            click.echo(f"collate: internal error: {type(err).__name__}: "
                       f"{one_line(str(err))}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _message(err: InputError) -> str:
    """The error line: an option the library names in its own terms gets its flag."""
    if isinstance(err, OptionError):
        return f"--{err.option.replace('_', '-')}: {err.problem}"
    return str(err)


def _fail(errors: list[InputError]) -> None:
    """One line per error on standard error, then exit status 2 (nothing when no error)."""
    for err in errors:
        click.echo(f"collate: error: {one_line(_message(err))}", err=True)
    if errors:
        sys.exit(2)


def _emit(text: str | Iterator[str], out: str | None) -> None:
    """Write to ``-o OUT`` atomically, or to standard output (``text`` whole or in pieces,
    ended by a line break)."""
    pieces = _ended(iter([text]) if isinstance(text, str) else text)
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
                    fh.writelines(pieces)
            else:  # through any symlink, so the file it names is replaced, not the link
                from collate.storage import atomic_write

                atomic_write(target.resolve(), pieces)
        except OSError as err:
            raise InputError(out, f"cannot write: {err.strerror or err}") from None
    else:
        for piece in pieces:
            click.echo(piece, nl=False)


def _ended(pieces: Iterator[str]) -> Iterator[str]:
    """The pieces, then a line break unless the last one ends with one."""
    last = ""
    for last in pieces:
        yield last
    if not last.endswith("\n"):
        yield "\n"


def _output_options(formats: list[str], default: str) -> Callable[[F], F]:
    """The shared ``--format`` and ``-o`` options."""

    def decorate(fn: F) -> F:
        fn = click.option("-o", "--output", "output", metavar="OUT", default=None,
                          help="Write to OUT (atomically) instead of standard output.")(fn)
        fn = click.option("--format", "fmt", type=click.Choice(formats), default=default,
                          show_default=True, help="Output format.")(fn)
        return fn

    return decorate


class _Group(click.Group):
    """The command group, with every usage error on one line (click prints four)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone = kwargs.pop("standalone_mode", True)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except NoArgsIsHelpError as err:  # plain `collate`: the help, as click shows it
            if not standalone:
                raise
            err.show()
            sys.exit(err.exit_code)
        except click.UsageError as err:
            if not standalone:
                raise
            where = err.ctx.command_path if err.ctx else "collate"
            click.echo(error_line(err.format_message(), where), err=True)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            if not standalone:
                raise
            click.echo(f"collate: error: {one_line(err.format_message())}", err=True)
            sys.exit(err.exit_code)
        except click.exceptions.Abort:
            if not standalone:
                raise
            click.echo("collate: aborted", err=True)
            sys.exit(1)
        if not standalone:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _normalize_option(fn: F) -> F:
    """The shared ``--normalize LEVEL,...`` option (checked, passed on as its string)."""

    def check(ctx: click.Context, param: click.Parameter, value: str) -> str:
        from collate.normalize import level

        try:
            level(value)
        except ValueError as err:
            raise click.BadParameter(str(err)) from None
        return value

    return click.option(
        "--normalize", default=DEFAULT_LEVEL, show_default=True, metavar="LEVEL,...",
        callback=check, help="Differences that are not variants: compat, spelling, accents "
        "(combining marks), case, punctuation; 'none' for every difference.")(fn)


def _model_option(fn: F) -> F:
    """The shared ``--model FILE`` option (a file written by ``collate model build``)."""
    return click.option("--model", "model_file", default=None, metavar="FILE",
                        help="A restoration model built by 'collate model build'.")(fn)


def _workers_option(fn: F) -> F:
    """The shared ``--workers N`` option of the commands that restore one document."""
    return click.option("--workers", type=click.IntRange(1, 1024), default=None,
                        help="Processes that fill the lacunae (default: all cores; the "
                             "result is the same for any number).")(fn)


def _min_confidence_option(fn: F) -> F:
    """The shared ``--min-confidence P`` option of the commands that print restorations."""
    return click.option(
        "--min-confidence", "min_confidence", type=click.FloatRange(0.0, 1.0),
        default=MIN_CONFIDENCE, show_default=True, metavar="P",
        help="Confidence a restoration needs to fill its lacuna in a text (the restored and "
             "reading text, the plain text); below it the lacuna stays a lacuna ([.7]) and "
             "its candidates stay in the JSON, the apparatus and the notes. The default "
             "prints a restoration only where it is more likely right than wrong; 0 fills "
             "every lacuna that has a candidate.")(fn)


def _cores() -> int:
    from collate.restoration.workers import available

    return available()


def _load_model(path: str | None, corpus: str | None) -> Any:
    """The model of ``--model`` (refused with one line when broken), or ``None``."""
    if path is None:
        return None
    if corpus is not None:
        raise click.UsageError("give --corpus or --model, not both")
    from collate.restoration.corpusmodel import resolve

    return resolve(path)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, package_name="collate-lacunae")
def main() -> None:
    """Detect lacunae, align witnesses, restore what was lost, render collated editions."""


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@_output_options(["text", "json"], "text")
@_guarded
def detect(files: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Find every lacuna in each FILE ('-' for standard input); a CollateX JSON or TEI file
    holding several witnesses gives one result per witness.

    In Python: collate.detect(text).
    """
    import json

    from collate.lacunae import detect as find
    from collate.ocrsource import OcrWitness
    from collate.reader import read_sources
    from collate.render.lacunae import render_lacunae
    from collate.xmlsource import TeiWitness

    errors: list[InputError] = []
    parts = []
    for source in read_sources(files, errors=errors):
        for w in source.witnesses:
            lacunae = find(w.text)
            label = source.label(w)
            if fmt == "json":
                parts.append(json.dumps({"witness": label,
                                         "lacunae": [x.to_dict() for x in lacunae]},
                                        ensure_ascii=False))
            else:
                where = w.position if isinstance(w, TeiWitness | OcrWitness) else None
                parts.append(render_lacunae(label, w.text, lacunae, where))
    if parts:
        _emit("\n".join(parts), output)
    _fail(errors)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@_output_options([*COLLATION_FORMATS, "tei", "html"], "table")
@click.option("--near", type=click.FloatRange(0.0, 1.0), default=0.7, show_default=True,
              help="Similarity from which two different tokens align as a variant.")
@_normalize_option
@_guarded
def align(files: tuple[str, ...], fmt: str, output: str | None, near: float,
          normalize: str) -> None:
    """Align the witnesses in FILE... (text, CollateX JSON or TEI).

    In Python: collate.collate(witnesses, near=X).
    """
    from collate.reader import read

    errors: list[InputError] = []
    witnesses = read(*files, errors=errors)
    if witnesses:
        if fmt not in COLLATION_FORMATS:  # tei, html: the edition's, without restoration
            from collate.edition import make_edition
            from collate.render import render_edition

            edition = make_edition(witnesses, near=near, restore=False, processor=normalize)
            _emit(render_edition(edition, fmt), output)
        else:
            _emit(_aligned(witnesses, fmt, near, normalize), output)
    _fail(errors)


def _aligned(witnesses: list[Witness], fmt: str, near: float, normalize: str
             ) -> Iterator[str]:
    """The witnesses' collation written in ``fmt``, in pieces (JSON: a chunk of columns at
    a time), with a progress bar on a terminal (aligning, then writing)."""
    from collate.alignment import collate as align_witnesses
    from collate.normalize import level
    from collate.render import render_collation
    from collate.render.data import CHUNK, json_pieces

    with progress_bar(total=2, desc="align", unit="step", disable=not sys.stderr.isatty(),
              leave=False) as bar:
        bar.set_postfix_str("aligning")
        collation = align_witnesses(witnesses, near=near, processor=level(normalize))
        bar.update(1)
        bar.set_postfix_str("writing")
        if fmt != "json":
            yield render_collation(collation, fmt)
        else:
            bar.total = 3 + -(-len(collation.columns) // CHUNK)  # aligning + pieces
            for piece in json_pieces(collation):
                yield piece
                bar.update(1)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE")
@click.option("--witness", "witness_files", multiple=True, metavar="FILE",
              help="Another witness of the same text (repeatable).")
@click.option("--corpus", type=click.Path(exists=True), default=None,
              help="A text file or folder of texts to train the language model on.")
@click.option("--lang", default=None, help="Language code for the word prior (else detected).")
@click.option("--top", type=click.IntRange(1, 100), default=5, show_default=True,
              help="Candidates per lacuna.")
@_model_option
@_workers_option
@_min_confidence_option
@_output_options([*RESTORATION_FORMATS, "tei", "html"], "json")
@_guarded
def restore(files: tuple[str, ...], witness_files: tuple[str, ...], corpus: str | None,
            lang: str | None, top: int, model_file: str | None, workers: int | None,
            min_confidence: float, fmt: str, output: str | None) -> None:
    """Propose ranked, calibrated reconstructions of every lacuna in FILE, drawing on the
    --witness files; each witness of a CollateX JSON or TEI FILE is restored with the others
    as its witnesses (one JSON object per line).

    Each candidate carries its sources and, in JSON, HTML and TEI, the reasons a reader can
    check (what a witness reads there, the word or phrase it makes). In the text format
    [L]ately is a restoration, [L(?)]ately one of low confidence (printed only with
    --min-confidence below 0.5), [.3] [c.3] [---] a lacuna left open (3, about 3, an unknown
    number of characters), [∅] a placeholder restored as nothing.

    In Python: collate.restore(text, witnesses=..., corpus=..., top=K, min_confidence=P).
    """
    if len(files) > 1:
        raise click.UsageError(
            f"restore takes one FILE, got {len(files)}; give the others as witnesses: "
            f"collate restore {files[0]} " + " ".join(f"--witness {f}" for f in files[1:]))
    from dataclasses import replace

    from collate.reader import read_sources

    errors: list[InputError] = []
    sources = read_sources([files[0], *witness_files], errors=errors)
    if not sources or sources[0].index != 0:  # FILE itself is unreadable: nothing to restore
        _fail(errors)
    main_source, others = sources[0], [w for s in sources[1:] for w in s.witnesses]
    model = _load_model(model_file, corpus)
    workers = workers or _cores()
    if fmt not in RESTORATION_FORMATS:  # tei, html: an edition based on FILE
        from collate.edition import make_edition
        from collate.render import render_edition

        wits = [*main_source.witnesses, *others]
        edition = make_edition(wits, base=wits[0].id, corpus=corpus, lang=lang, top=top,
                               model=model, workers=workers, min_confidence=min_confidence)
        _emit(render_edition(replace(edition, left_out=_left_out(errors)), fmt),
              output)
    else:
        _emit(_restore_each(main_source, others, fmt, _left_out(errors), corpus=corpus,
                            lang=lang, top=top, model=model, workers=workers,
                            min_confidence=min_confidence), output)
    _fail(errors)


def _restore_each(source: Source, others: list[Witness], fmt: str,
                  left_out: tuple[tuple[str, str], ...], **options: Any) -> str:
    """Each witness of ``source`` restored with its other witnesses and ``others``, rendered
    (JSON: one object per line, recording the witness files ``left_out``; text: the
    restored witnesses one after the other)."""
    from dataclasses import replace

    from collate.render import render_restoration
    from collate.restoration import restore as restore_text

    parts = []
    for w in source.witnesses:
        helpers = [o for o in source.witnesses if o is not w] + others
        result = restore_text(w.text, witnesses=helpers, **options)
        result = replace(result, witness=source.label(w), editorial=w.marks,
                                     left_out=left_out)
        parts.append(render_restoration(result, fmt))
    return "\n".join(parts)


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@_output_options(list(EDITION_FORMATS), "tei")
@click.option("--base", default="consensus", show_default=True, metavar="ID|consensus",
              help="The base text: a witness id, or the column-wise consensus.")
@click.option("--near", type=click.FloatRange(0.0, 1.0), default=0.7, show_default=True,
              help="Similarity from which two different tokens align as a variant.")
@click.option("--corpus", type=click.Path(exists=True), default=None,
              help="A text file or folder of texts to train the language model on.")
@click.option("--lang", default=None, help="Language code for the word prior (else detected).")
@_normalize_option
@_model_option
@_workers_option
@_min_confidence_option
@_guarded
def edition(files: tuple[str, ...], fmt: str, output: str | None, base: str, near: float,
            corpus: str | None, lang: str | None, normalize: str,
            model_file: str | None, workers: int | None, min_confidence: float) -> None:
    """Collate FILE..., restore every lacuna and render a collated edition.

    The apparatus cites each witness as it stands: "council] A C" the lemma and the
    witnesses that attest it, "om. C" an omission, "[council] D (98 %)" a lost reading
    restored, "lac. D (council? 31 %)" one left open, "[eastern] E (suppl.)" text an editor
    supplied. In the reading text [L]ately is a restoration, [L(?)]ately one of low
    confidence, [.3] [c.3] [---] a lacuna left open, [∅] a placeholder restored as nothing.

    In Python: collate.edition.make_edition(witnesses, min_confidence=P), then
    collate.render.render_edition(edition, FORMAT).
    """
    from dataclasses import replace

    from collate.edition import make_edition
    from collate.reader import read
    from collate.render import render_edition

    errors: list[InputError] = []
    witnesses = read(*files, errors=errors)
    ids = [w.id for w in witnesses]
    if base != "consensus" and witnesses and base not in ids:
        raise OptionError("base", f"{base!r} is not a witness id (ids: {', '.join(ids)})")
    model = _load_model(model_file, corpus)
    if witnesses:
        result = make_edition(witnesses, base=base, near=near, corpus=corpus, lang=lang,
                              processor=normalize, model=model, workers=workers or _cores(),
                              min_confidence=min_confidence)
        _emit(render_edition(replace(result, left_out=_left_out(errors)), fmt),
              output)
    _fail(errors)


def _left_out(errors: list[InputError]) -> tuple[tuple[str, str], ...]:
    """The files left out, as outputs record them: ``(source, problem)``."""
    return tuple((err.source, err.problem) for err in errors)


@main.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=True))
@click.option("-o", "--output", "outdir", default="collate-out", show_default=True,
              metavar="OUTDIR", help="Folder for the editions and the summary.")
@click.option("--format", "formats", multiple=True, default=("tei", "html"), show_default=True,
              type=click.Choice(list(EDITION_FORMATS)), help="Edition formats (repeatable).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:port); a LocalCluster when omitted.")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="Worker processes (default: all cores).")
@_normalize_option
@_model_option
@_min_confidence_option
@_guarded
def batch(directory: str, outdir: str, formats: tuple[str, ...], engine: str,
          scheduler: str | None, workers: int | None, normalize: str,
          model_file: str | None, min_confidence: float) -> None:
    """Build editions for every document of a corpus DIR (or CSV/JSON manifest); a document
    with an unreadable witness is built from the others (partial); exit 2 if any document is
    partial or failed.

    In Python: collate.batch(DIR, OUTDIR).
    """
    from collate.batch import batch as run_batch

    summary = run_batch(directory, outdir, formats=formats, engine=engine, scheduler=scheduler,
                        workers=workers, model=model_file, min_confidence=min_confidence,
                        normalize=None if normalize == DEFAULT_LEVEL else normalize)
    click.echo(summary.table())
    for record in summary.documents:  # the error lines, as every command writes them
        if record.status in ("partial", "failed"):
            click.echo(f"collate: error: {one_line(record.error or record.id)}", err=True)
    sys.exit(0 if summary.ok else 2)


@main.group()
def model() -> None:
    """Build restoration models (the language statistics restoration ranks fillings with)."""


@model.command("build")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              help="The model file to write (atomically).")
@click.option("--lang", default=None, help="Language code of the texts (else detected).")
@click.option("--prior", is_flag=True,
              help="Also fit a prior confidence map (a corpus of 120,000 characters or more; "
                   "minutes more), so restores with the model alone calibrate in one round.")
@_guarded
def model_build(paths: tuple[str, ...], output: str, lang: str | None, prior: bool) -> None:
    """Build a restoration model from plain texts: files, or folders of .txt files read
    recursively; restore, edition and batch use it with --model FILE. With --prior, a corpus
    of 120,000 characters or more also gets a prior confidence map, fitted on four chapters
    of it held out of a second model's counts (minutes more), so that a document restored
    with the model alone needs one calibration round, not twelve.

    In Python: collate.restoration.prior.calibrated(build_model(texts, lang=...), texts).save(FILE).
    """
    from collate.reader import decode, read_bytes
    from collate.restoration.corpusmodel import build_model, corpus_files
    from collate.restoration.lexicon import detect_language
    from collate.restoration.prior import calibrated

    texts = []
    for f in corpus_files(paths):
        name, data = read_bytes(f)
        if data.strip():  # an empty file adds nothing
            texts.append(decode(name, data))
    if not texts:
        raise InputError(paths[0], "no text to build a model from (only empty files)")
    if lang is None:
        lang = detect_language("\n".join(t[:20_000] for t in texts[:20])) or "und"
    built = build_model(texts, lang=lang)
    if prior:
        built = calibrated(built, texts)
    target = Path(output)
    if target.is_dir() or not target.parent.is_dir():
        raise InputError(output, "is a folder, or its folder does not exist")
    try:
        built.save(target)
    except OSError as err:
        raise InputError(output, f"cannot write: {err.strerror or err}") from None
    mapped = "" if built.calibrator is None else ", with a prior confidence map"
    click.echo(f"{output}: {built.describe()}{mapped}", err=True)
