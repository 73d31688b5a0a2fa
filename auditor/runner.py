"""Read and check each input, in this process or in worker processes, yielding results in input order."""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Callable, Iterator, Sequence

from auditor import endsignals
from auditor.collector import paused
from auditor.discovery import Input
from auditor.findings import Finding, Severity
from auditor.result import KEEP_CONTEXT, CheckedFile, FileError
from auditor.plain import Field, Frozen, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: What checking one input gives: the file and its findings, or why it could not be read.
Outcome = tuple[CheckedFile, tuple[Finding, ...]] | FileError

#: Which documents of an input get an index entry for the cross pass (``CheckedFile.index``): none (no
#: cross rule selected), every one, or every one only when the input holds several (the one input of a
#: run: a single document has nothing to be compared with, and the cross pass is then never started).
INDEX_NONE, INDEX_ALL, INDEX_SEVERAL = "none", "all", "several"


_set = object.__setattr__


class RulesetSpec(Frozen):
    """Everything a worker process needs to rebuild the run's rule set (picklable)."""

    __slots__ = ("extra", "selected", "severities", "params", "__weakref__")
    extra: tuple[str, ...]
    selected: frozenset[str] | None
    severities: tuple[tuple[str, str], ...]
    #: Param overrides ``(code, name, value)``, already checked against the rules.
    params: tuple[tuple[str, str, Any], ...]

    def __init__(
        self, extra: tuple[str, ...] = (),
        selected: frozenset[str] | None = None,
        severities: tuple[tuple[str, str], ...] = (),
        params: tuple[tuple[str, str, Any], ...] = (),
    ) -> None:
        _set(self, "extra", extra)
        _set(self, "selected", selected)
        _set(self, "severities", severities)
        _set(self, "params", params)

    def build(self) -> Any:
        """The engine's ``RuleSet``: built-in and extra packs, filtered, with severity overrides."""
        from auditor.engine import load_ruleset

        return self.apply(load_ruleset(self.extra, defer_cross=True))  # a worker never runs the cross rules

    def apply(self, ruleset: Any) -> Any:
        """``ruleset`` with the param overrides, narrowed to the selected rules, with the severity overrides."""
        if self.params:
            grouped: dict[str, dict[str, Any]] = {}
            for code, name, value in self.params:
                grouped.setdefault(code, {})[name] = value
            ruleset = ruleset.with_params(grouped)
        if self.selected is not None:
            selected = self.selected
            ruleset = ruleset.filter(lambda rule: rule.code in selected)
        if self.severities:
            ruleset = ruleset.with_severity({code: Severity(level) for code, level in self.severities})
        return ruleset


frozen(RulesetSpec, Field("extra", default=()), Field("selected", default=None), Field("severities", default=()), Field("params", default=()))


def index_for(ruleset: Any, inputs: int, cache: Any = None) -> str:
    """Which documents a run of ``inputs`` inputs indexes (:data:`INDEX_ALL` …): with a results cache,
    every document of a run with cross rules, since a later run may take the entry from the cache."""
    if not ruleset.has_cross:
        return INDEX_NONE
    return INDEX_ALL if inputs > 1 or cache is not None else INDEX_SEVERAL


def check_one(item: Input, ruleset: Any, keep: str = KEEP_CONTEXT, index: str | None = None) -> Outcome:
    """Read and check one input: a file that cannot be read becomes a :class:`FileError`.

    The cyclic garbage collector is paused while the file is read and checked
    (:func:`auditor.collector.paused`): its model and findings hold no cycles, and the collector's
    walks over them and over the results the run keeps were about a tenth of the CPU.

    ``keep`` says what of the file's lines the result holds for the reports
    (:func:`auditor.result.retained_lines`): all, those around each finding, or none. An e호조
    export is read and checked one 세부사업 at a time (``auditor.readers.iter_sheets``), and never
    keeps more than the lines around its findings (:class:`auditor.digest.Digest`).

    ``index`` says which documents get an index entry for the cross pass (:data:`INDEX_SEVERAL` …;
    by default every one when the rule set has a cross rule): with :data:`INDEX_SEVERAL`, the first
    document waits for a second before either is indexed.

    The one exception let through is a rule that fails at run time
    (``RulePackError``): that is the pack's fault, not the sheet's, so the run
    stops with the rule's ``file:line`` instead of blaming one input.
    """
    with paused():
        return _check_one(item, ruleset, keep, index)


#: What :func:`_check_one` needs, imported for the first file (``auditor rules`` never needs it): the
#: digest's and the readers' modules (their functions looked up at each file, as tests replace them)
#: and the engine's error. A ``from`` import of a package in the function ran importlib's Python code
#: for every file.
_NEEDS: tuple[Any, Any, Any] | None = None


def _needs() -> tuple[Any, Any, Any]:
    global _NEEDS
    if _NEEDS is None:
        import auditor.digest
        import auditor.readers
        from auditor.engine import RulePackError

        _NEEDS = (auditor.digest, auditor.readers, RulePackError)
    return _NEEDS


#: :mod:`auditor.crossdoc.index`, imported at the run's first index entry (a run without cross rules, or of
#: one document, never needs it). A ``from auditor.crossdoc.index import entry_of`` at each document cost
#: about 8,000 instructions a document although the module was loaded (the import machinery asks the
#: module for a ``__path__``, and the AttributeError it makes and clears is most of it).
_INDEX: Any = None


def _index_module() -> Any:
    global _INDEX
    import auditor.crossdoc.index

    _INDEX = auditor.crossdoc.index
    return _INDEX


def _sheets_of(item: Input, readers: Any) -> Any:
    """The documents of ``item`` as its reader gives them (:func:`auditor.readers.iter_sheets`)."""
    if item.data is not None:  # standard input, already read within the size limit
        return readers.iter_sheets(item.data, item.display, max_size=0)
    return readers.iter_sheets(item.path, item.display, max_size=item.max_size)


def _check_one(item: Input, ruleset: Any, keep: str, index: str | None) -> Outcome:
    digests, readers, RulePackError = _NEEDS or _needs()
    InputError = readers.InputError
    try:
        sheets = _sheets_of(item, readers)
    except InputError as e:
        return FileError(item.display, getattr(e, "message_ko", str(e)), getattr(e, "message_en", str(e)))
    except Exception as e:  # a reader bug on one file must not stop the others
        return _internal(item.display, "읽는", "reading", e)
    digest = digests.Digest(sheets, keep)  # an e호조 export comes one 세부사업 at a time; any other file as one Sheet
    if index is None:
        index = INDEX_ALL if ruleset.has_cross else INDEX_NONE
    entries: list[Any] | None = None if index == INDEX_NONE else []  # what the cross pass needs of each document
    entry_of: Any = None  # auditor.crossdoc.index.entry_of, looked up at the file's first entry (_index_module)
    first: Any = None  # INDEX_SEVERAL: the first document, indexed only once a second one comes
    while True:
        try:
            sheet = next(sheets, None)
        except InputError as e:  # a streamed export whose line is over the limit
            return FileError(item.display, e.message_ko, e.message_en)
        except OSError as e:  # a read error half-way (a disk error, a file truncated under us)
            reason = e.strerror or str(e)
            return FileError(item.display, f"읽는 중 오류가 났습니다: {reason}", f"read error: {reason}")
        except Exception as e:
            return _internal(item.display, "읽는", "reading", e)
        if sheet is None:
            break
        try:
            digest.add(sheet, ruleset.check(sheet))
            if entries is not None:
                if index == INDEX_SEVERAL and not entries and first is None:
                    first = sheet
                else:
                    if entry_of is None:  # not at each document: a ``from`` import there was ~8,000 instructions
                        entry_of = (_INDEX or _index_module()).entry_of
                    if first is not None:
                        entries.append(entry_of(first, None, False))
                        first = None
                    entries.append(entry_of(sheet, None, False))
        except RulePackError:
            raise
        except Exception as e:  # likewise for an engine bug on one sheet
            return _internal(item.display, "검사하는", "checking", e)
    return digest.result(entries or ())


def _internal(path: str, doing_ko: str, doing_en: str, e: Exception) -> FileError:
    detail = f"{type(e).__name__}: {e}"
    return FileError(
        path,
        f"{doing_ko} 중 내부 오류가 났습니다 ({detail}); auditor의 버그이니 알려 주세요",
        f"internal error while {doing_en} ({detail}); this is a bug in auditor, please report it",
    )


def checked(item: Input, ruleset: Any, keep: str, cache: Any = None, index: str | None = None) -> Outcome:
    """:func:`check_one`, through the results cache (:mod:`auditor.cache`) when there is one: a hit is
    not checked again; a miss is checked and recorded."""
    more = (index,) if index is not None else ()  # by default, as the rule set says (check_one)
    if cache is None:
        return check_one(item, ruleset, keep, *more)
    found, key = cache.lookup(item)
    outcome = found if found is not None else check_one(item, ruleset, cache.keep_for(keep), *more)
    return _recorded(cache, item, key, outcome, found is not None, keep)


def _recorded(cache: Any, item: Input, key: Any, outcome: Outcome, hit: bool, keep: str) -> Outcome:
    from auditor.cache import shaped

    cache.record(item, key, outcome, hit)
    return shaped(outcome, keep)


#: The rule set and line policy of a worker process: inherited from the parent when workers are
#: forked, else rebuilt from the spec by :func:`_init_worker`.
_worker: tuple[Any, str] | None = None


def _init_worker(spec: RulesetSpec, keep: str, parent: int | None = None) -> None:
    global _worker
    _detach(parent)
    if _worker is None:
        _worker = (spec.build(), keep)


def _detach(parent: int | None) -> None:
    """Make a worker process die with its parent, leave signals to the parent, and let go of stdout.

    On Linux the kernel kills the worker when the parent dies, however it dies (even SIGKILL);
    Ctrl-C reaches the whole process group, and is the parent's to handle (it stops the
    workers); a forked worker drops the parent's handlers, so SIGTERM simply ends it; and its
    standard output goes to ``/dev/null``, so a worker never holds the parent's output pipe open.
    """
    import signal

    if parent is not None and sys.platform.startswith("linux"):
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # blocked while the pool started (endsignals.held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, endsignals.ENDING)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``).

    Called through the functions of ``_ctypes`` that :mod:`ctypes` itself calls (``dlopen``, ``dlsym``,
    ``call_function``, each integer passed as a C ``int`` as a call of ``ctypes.CDLL(None).prctl`` passes it):
    importing :mod:`ctypes` made its classes in every forked worker, after the fork (about 8 M instructions
    and 400 page faults of the worker's start, against 1 M). :mod:`ctypes` where they are missing."""
    import signal

    try:
        import _ctypes

        prctl = _ctypes.dlsym(_ctypes.dlopen(None, os.RTLD_NOW), "prctl")
        _ctypes.call_function(prctl, (1, int(signal.SIGKILL), 0, 0, 0))  # 1: PR_SET_PDEATHSIG
        return
    except Exception:  # no such functions, or no prctl: as ctypes would
        pass
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _check_in_worker(item: Input) -> Outcome:
    assert _worker is not None
    return check_one(item, *_worker)


def effective_jobs(jobs: int, count: int) -> int:
    """``0`` means one per CPU; never more workers than inputs, never fewer than one."""
    wanted = jobs if jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, count))


def run(
    inputs: Sequence[Input],
    ruleset: Any,
    spec: RulesetSpec,
    *,
    jobs: int = 1,
    keep: str = KEEP_CONTEXT,
    advance: Callable[[int], None] | None = None,
    cache: Any = None,
) -> Iterator[Outcome]:
    """Check ``inputs``, yielding each outcome as it is ready, in input order whatever ``jobs`` is.

    Outcomes are yielded, not gathered: a caller that reports as it goes holds one file's
    result at a time, however many files the run has. With a results ``cache``
    (:class:`auditor.cache.ResultsCache`), each input is looked up in this process and only the
    misses are checked (here or by the workers, which keep what they check).
    """
    workers = effective_jobs(jobs, len(inputs))
    done = 0
    reap()  # an earlier run's workers, if its caller has not reaped them
    if cache is not None:
        cache.begin(inputs)
    try:
        if workers > 1:
            forked = hasattr(os, "fork") and not os.environ.get("AUDITOR_POOL")
            if forked:
                lost: tuple[type[BaseException], ...] = (WorkerLost,)
            else:
                from concurrent.futures.process import BrokenProcessPool  # one process needs no pool

                lost = (BrokenProcessPool,)
            parallel = _run_forked if forked else _run_parallel
            try:
                for outcome in parallel(inputs, ruleset, spec, workers, keep, cache):
                    done += 1
                    if advance:
                        advance(1)
                    yield outcome
                return
            except lost:
                pass  # a worker died (killed, out of memory): check the rest here instead
        index = index_for(ruleset, len(inputs), cache)
        index = index if index == INDEX_SEVERAL else None  # else check_one's default: the same
        for item in inputs[done:] if done else inputs:  # a slice is a copy of the run's inputs
            yield checked(item, ruleset, keep, cache, index)
            if advance:
                advance(1)
    finally:
        if cache is not None:
            cache.end()


def _run_parallel(inputs: Sequence[Input], ruleset: Any, spec: RulesetSpec, workers: int,
                  keep: str, cache: Any = None) -> Iterator[Outcome]:
    """Outcomes from ``workers`` processes, this one among them, in input order.

    This process is one of the ``workers``: a pool of ``workers - 1`` processes (one fork for
    ``--jobs 2``) checks chunks of inputs while this process checks chunks of its own between
    handing outcomes to the caller, so no process only waits and nothing this process checks
    crosses a pipe. The pool is kept fed (:data:`AHEAD` chunks per pool process queued), and
    this process takes the next chunk itself whenever the pool has that many; the outcomes go
    out in input order, whichever process checked them.

    Where processes can be forked, pool workers inherit this process's rule set (nothing to load
    again), with every object this process has made by then frozen out of the collector's way
    (:func:`gc.freeze`: a worker's collections never walk, nor copy, the pages it inherited);
    elsewhere each rebuilds it from ``spec``. Inputs go in chunks of at most :data:`CHUNK`
    inputs that shrink as the inputs run out (a few per process of what is left), so that the
    processes finish together rather than one waiting for the other's last chunk. With a cache,
    each chunk is looked up here first and only its misses are checked; outcomes are recorded
    here, in input order.
    """
    global _worker
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        context = None
    inherited = context is not None
    checking = cache.keep_for(keep) if cache is not None else keep
    if inherited:
        _worker = (ruleset, checking)
    pool = ProcessPoolExecutor(workers - 1, mp_context=context, initializer=_init_worker,
                               initargs=(spec, checking, os.getpid()))
    try:
        ahead = (workers - 1) * AHEAD  # chunks queued for the pool
        started = False
        #: Per chunk, in input order: its inputs, what the cache gave for each ``(outcome or None, key)``,
        #: and its misses' outcomes: a future of the pool's, or the list this process made.
        pending: list[tuple[Sequence[Input], list[tuple[Any, Any]], Any]] = []
        queued = 0  # chunks of the pool's in ``pending``
        position = 0

        def take() -> tuple[Sequence[Input], list[tuple[Any, Any]], list[Input]]:
            nonlocal position
            size = max(1, min(CHUNK, (len(inputs) - position) // (workers * 4)))
            chunk = inputs[position:position + size]
            position += len(chunk)
            looked = [cache.lookup(item) for item in chunk] if cache is not None else [(None, None)] * len(chunk)
            return chunk, looked, [item for item, (found, _) in zip(chunk, looked) if found is None]

        while position < len(inputs) or pending:
            while position < len(inputs) and queued < ahead:
                chunk, looked, misses = take()
                future = None
                if misses:
                    frozen = inherited and not started and gc.isenabled()  # the first submit forks every worker
                    if frozen:
                        gc.freeze()
                    try:
                        with endsignals.held():  # a signal is handled in this code, never inside the pool's
                            future = pool.submit(_check_batch, misses)
                    finally:
                        if frozen:
                            gc.unfreeze()
                    started = True
                    queued += 1
                pending.append((chunk, looked, future))
            if pending and _ready(pending[0][2]) or position >= len(inputs):
                chunk, looked, made = pending.pop(0)
                if made is not None and not isinstance(made, list):
                    queued -= 1
                    made = _result(made, pool)
                fresh = iter(made if made is not None else ())
                for item, (found, key) in zip(chunk, looked):
                    outcome = found if found is not None else next(fresh)
                    yield outcome if cache is None else _recorded(cache, item, key, outcome, found is not None, keep)
            else:  # the pool is fed and the first chunk not back yet: check the next chunk here
                chunk, looked, misses = take()
                pending.append((chunk, looked, [check_one(item, ruleset, checking) for item in misses]))
    except BaseException:  # a signal, the caller giving up, a worker lost: stop the workers now
        stopped = True
        _stop(pool)
        raise
    else:
        stopped = False
    finally:
        if stopped:
            _let_go(pool)
        else:
            pool.shutdown(wait=True, cancel_futures=True)
        if inherited:
            _worker = None


class WorkerLost(Exception):
    """A forked worker ended before handing back every chunk it was given (killed, out of memory)."""


#: A chunk's message to a forked worker: how many inputs, then each one's index in the run's inputs.
_COUNT = struct.Struct("<I")
#: A result's header from a forked worker: the length of the pickled outcomes (or error) that follow.
_LENGTH = struct.Struct("<Q")


class _Forked:
    """One forked worker as the parent sees it: its process, its two pipes, what it was given."""

    def __init__(self, pid: int, work: int, results: int, code: int | None = None) -> None:
        self.pid, self.work, self.results = pid, work, results
        #: The pipe on which it is sent the code the other processes compiled (:func:`_share_compiling`),
        #: and what it compiled itself: a list once its ``"code"`` message came.
        self.code_pipe, self.code = code, None
        #: Whether anything it sent has come (its first message is its code when it shares the compiling).
        self.heard = False
        #: The pending entries of the chunks it was given, in order (its results come back in that order).
        self.given: list[list[Any]] = []
        self.buffer = bytearray()
        self.ended = False

    def drain(self, block: bool) -> None:
        """Read what the worker has sent (waiting for something if ``block``), and fill the entries of
        the chunks whose outcomes are all there; :class:`WorkerLost` if it ended with chunks left."""
        import pickle
        import select

        while True:
            if block and not self.ended:
                select.select([self.results], [], [], 1.0)  # wakes every second: a signal is handled here
            try:
                data = os.read(self.results, 1 << 20)
            except BlockingIOError:
                data = None
            if data == b"":
                self.ended = True
            elif data:
                self.buffer += data
            while len(self.buffer) >= _LENGTH.size:
                (size,) = _LENGTH.unpack_from(self.buffer)
                if len(self.buffer) < _LENGTH.size + size:
                    break
                body = bytes(self.buffer[_LENGTH.size:_LENGTH.size + size])
                del self.buffer[:_LENGTH.size + size]
                kind, value = pickle.loads(body)
                self.heard = True
                if kind == "error":
                    raise value
                if kind == "code":
                    self.code = value
                else:
                    self.given.pop(0)[2] = value
                block = False
            if self.ended and self.given:
                raise WorkerLost(f"worker {self.pid} ended with {len(self.given)} chunks left")
            if not block or self.ended:
                return

    def give(self, entry: list[Any], indexes: Sequence[int]) -> None:
        """Hand the worker a chunk: the indexes of its inputs to check (a few bytes: it never blocks)."""
        try:
            os.write(self.work, _COUNT.pack(len(indexes)) + b"".join(_COUNT.pack(i) for i in indexes))
        except BrokenPipeError:  # it has ended
            raise WorkerLost(f"worker {self.pid} ended") from None
        self.given.append(entry)


def _run_forked(inputs: Sequence[Input], ruleset: Any, spec: RulesetSpec, workers: int,
                keep: str, cache: Any = None) -> Iterator[Outcome]:
    """Outcomes from ``workers`` processes, this one among them, in input order, where processes can be
    forked: ``workers - 1`` forked children (one for ``--jobs 2``) and no pool.

    A child inherits everything this process has made (the inputs, the rule set, its generated code),
    with those objects frozen out of its collector's way (:func:`gc.freeze`). Each is kept fed with
    :data:`AHEAD` chunks (a chunk is a few bytes: the indexes of its inputs, on the child's own pipe)
    and sends back each chunk's outcomes, pickled, on another; this process checks the next chunk
    itself whenever every child has its chunks, reading what the children sent between its own
    files (so a child never waits on a full pipe), and hands the outcomes over in input order,
    whichever process checked them. Chunks shrink as the inputs run out, as in
    :func:`_run_parallel`, so that the processes end together. A child ends when its work pipe
    closes, and dies with this process (:func:`_detach`); a signal here stops the children at once
    (:func:`_end_children`). A child that ends with chunks left raises :class:`WorkerLost` (the
    caller checks the rest here); a rule that fails at run time in a child fails the run as here.

    Before the first chunk, the processes compile the first input's fused functions a share each and
    hand each other the code (:func:`_share_compiling`): each process needs all of them before its first
    file, and ``compile()`` is the most of what it spends there, after the fork, so it counted whole in
    the run's wall time.
    """
    checking = cache.keep_for(keep) if cache is not None else keep
    children: list[_Forked] = []
    try:
        # not with a results cache: the first input may be a hit, and a run of hits compiles nothing
        groups = _first_groups(inputs, ruleset) if cache is None else []
        claims = None
        if groups and workers == 2:  # two counts the parent and the worker share (_claimed)
            import mmap

            claims = mmap.mmap(-1, 2 * _COUNT.size)
        for k in range(1, workers):
            children.append(_fork(children, inputs, ruleset, checking, (groups, k, workers, claims) if groups else None))
        #: Per chunk, in input order: its inputs, what the cache gave for each ``(outcome or None, key)``,
        #: and its misses' outcomes (None while a child checks them; a list once made).
        pending: list[list[Any]] = []
        position = 0

        def take() -> tuple[list[Any], list[int]]:
            nonlocal position
            size = max(1, min(CHUNK, (len(inputs) - position) // (workers * 4)))
            start, position = position, min(len(inputs), position + size)
            looked = ([cache.lookup(inputs[i]) for i in range(start, position)] if cache is not None
                      else [(None, None)] * (position - start))
            misses = [i for i, (found, _) in zip(range(start, position), looked) if found is None]
            entry = [range(start, position), looked, None if misses else []]
            pending.append(entry)
            return entry, misses

        def feed() -> None:
            """Top every child up to :data:`AHEAD` chunks."""
            for child in children:
                while position < len(inputs) and len(child.given) < AHEAD:
                    entry, misses = take()
                    if misses:
                        child.give(entry, misses)

        if groups:  # the first sheet's fused functions, compiled a share by each process (_share_compiling)
            mine = _own_share(ruleset, groups, 0, workers, claims)
            feed()  # the children's first chunks wait in their pipes meanwhile
            for child in children:  # its first message is its share (or anything else: then it shares none)
                while not child.heard and not child.ended:
                    child.drain(block=True)
            for child in children:
                shares = [mine, *(other.code or [] for other in children if other is not child)]
                _send_code(child, [c for share in shares for c in share])
            _take_compiled(ruleset, groups, [c for child in children for c in (child.code or [])])
        while position < len(inputs) or pending:
            feed()
            for child in children:
                child.drain(block=False)
            if pending and pending[0][2] is not None:
                span, looked, made = pending.pop(0)
                fresh = iter(made)
                for i, (found, key) in zip(span, looked):
                    outcome = found if found is not None else next(fresh)
                    yield (outcome if cache is None
                           else _recorded(cache, inputs[i], key, outcome, found is not None, keep))
            elif position < len(inputs):  # every child has its chunks: check the next one here
                entry, misses = take()
                made = []
                for i in misses:
                    made.append(check_one(inputs[i], ruleset, checking))
                    for child in children:  # between its own files: what the children sent, and more work
                        child.drain(block=False)
                    feed()
                entry[2] = made
            else:  # wait for the child that has the first chunk
                next(child for child in children if child.given and child.given[0] is pending[0]).drain(block=True)
    except BaseException:
        _end_children(children, stop=True)
        raise
    else:
        _end_children(children, stop=False)


def _fork(earlier: Sequence[_Forked], inputs: Sequence[Input], ruleset: Any, checking: str,
          share: tuple[list[int], int, int, Any] | None = None) -> _Forked:
    """Fork one worker (see :func:`_run_forked`); in the child, :func:`_serve` until its work pipe closes.
    With ``share`` (``(groups, part, parts)``), the child first compiles its share of the first sheet's
    fused functions and takes the others' (:func:`_share_compiling`)."""
    global _sharing
    import gc

    work_read, work_write = os.pipe()
    results_read, results_write = os.pipe()
    code_read, code_write = os.pipe() if share is not None else (None, None)
    parent = os.getpid()
    for stream in (sys.stdout, sys.stderr):  # nothing buffered here may be written twice
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    frozen = gc.isenabled()
    if frozen:
        gc.freeze()
    try:
        with endsignals.held():  # the child sets its own signals up before any can reach it
            pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                for fd in (work_write, results_read, code_write,
                           *(fd for c in earlier for fd in (c.work, c.results, c.code_pipe))):
                    if fd is not None:
                        os.close(fd)
                _detach(parent)
                _sharing = (code_read, *share) if share is not None else None
                _serve(work_read, results_write, inputs, ruleset, checking)
                code = 0
            finally:
                os._exit(code)
    finally:
        if frozen:
            gc.unfreeze()
    os.close(work_read)
    os.close(results_write)
    if code_read is not None:
        os.close(code_read)
    os.set_blocking(results_read, False)
    return _Forked(pid, work_write, results_read, code_write)


#: In a forked worker that shares the first sheet's compiling (:func:`_fork`): ``(the pipe its share of the
#: others' code comes on, groups, its part, parts, the shared claims or None)``.
_sharing: tuple[int, list[int], int, int, Any] | None = None


def _first_groups(inputs: Sequence[Input], ruleset: Any) -> list[int]:
    """The sheet rules' groups whose fused functions the first input's first document has the processes
    compile (:meth:`auditor.engine.ruleset.RuleSet.first_groups`), read before the workers are forked;
    none if it cannot be read (each process then compiles what it meets, as ever)."""
    first = getattr(ruleset, "first_groups", None)
    if first is None or not inputs:
        return []
    item = inputs[0]
    try:
        _, readers, _ = _NEEDS or _needs()
        sheets = _sheets_of(item, readers)
        try:
            with paused():
                sheet = next(iter(sheets), None)
                return first(sheet) if sheet is not None else []
        finally:
            close = getattr(sheets, "close", None)
            if close is not None:
                close()
    except Exception:
        return []


def _own_share(ruleset: Any, groups: list[int], part: int, parts: int, claims: Any = None) -> list[tuple]:
    """This process's share of ``groups`` (:func:`_share_compiling`), written, compiled and given to the rule
    set; returns what the other processes take of it (none if that fails: each then compiles as ever)."""
    try:
        return _share_compiling(ruleset, groups, part, parts, claims)
    except Exception:  # the groups are then compiled where they are met, as ever
        return []


def _share_compiling(ruleset: Any, groups: list[int], part: int, parts: int, claims: Any = None) -> list[tuple]:
    """The first sheet's fused functions are what a process spends most on before its first check, and every
    process of a run needs all of them: so each process writes and compiles only its share of the groups,
    and takes the others' from the processes that made them: each group's source, its namespace's values
    (pickled; the generated code's ``UNSET`` kept as the one object it is) and its code object (marshalled).
    The processes are forks of one, with the same rules, so a group is the same whoever writes it. Shares
    are dealt by an estimate of each group's size that every process makes alike (:func:`_dealt`).
    Two processes (``--jobs 2``) deal as they go instead (``claims``, :func:`_claimed`).
    Returns ``(group, filename, source, name, codes, over, unsupported, values, code)`` for each group made here."""
    import marshal

    from auditor.engine.codegen import code_of, finish_rules, write_rules

    made = []
    for i in (_claimed(ruleset, groups, part, claims) if claims is not None and parts == 2
              else _dealt(ruleset, groups, parts)[part]):
        written = write_rules(ruleset.group_rules(i), ruleset.vocab)
        code = code_of(written)
        ruleset.set_compiled(i, finish_rules(written, code))
        source, filename, values, name, codes, over, unsupported = written
        try:
            data = _values_out(values)
        except Exception:  # a value that cannot be handed over: the others compile this group themselves
            continue
        made.append((i, filename, source, name, codes, over, unsupported, data, marshal.dumps(code)))
    return made


def _claimed(ruleset: Any, groups: list[int], part: int, claims: Any) -> Iterator[int]:
    """The groups two processes make, dealt as they go: the groups in an order with the largest at both
    ends (:func:`_estimates`), the parent (``part`` 0) taking them from the front and the worker from the
    back, each saying in ``claims`` (memory the two share: two counts) how many it has taken before it
    makes the next. A process takes a group only if the other has not said it took it: so every group is
    made (a process skips a group only when the other said it takes it), at most the one they reach
    together twice (harmless: the same function), and the two end together wherever each started."""
    size = _estimates(ruleset, groups)
    ranked = sorted(groups, key=lambda i: (-size[i], i))
    order = ranked[0::2] + ranked[1::2][::-1]  # large, ..., small, ..., large
    count = len(order)
    width = _COUNT.size  # the claims hold two counts: the parent's, then the worker's
    front, back = slice(0, width), slice(width, 2 * width)
    mine, theirs = (front, back) if part == 0 else (back, front)
    for taken in range(count):
        (other,) = _COUNT.unpack(claims[theirs])
        if taken + other >= count:
            return
        claims[mine] = _COUNT.pack(taken + 1)
        yield order[taken] if part == 0 else order[count - 1 - taken]


def _estimates(ruleset: Any, groups: list[int]) -> dict[int, int]:
    """An estimate of what writing and compiling each group costs, alike in every process: the lines its
    rules take in their packs (each rule's up to the next rule of its pack)."""
    rules = sorted(ruleset.rules, key=lambda r: (str(r.pack), r.line))
    lines: dict[int, int] = {}
    for rule, after in zip(rules, [*rules[1:], None]):
        same = after is not None and str(after.pack) == str(rule.pack) and after.line > rule.line
        lines[id(rule)] = after.line - rule.line if same else 30
    return {i: sum(lines.get(id(r), 30) for r in ruleset.group_rules(i)) for i in groups}


def _dealt(ruleset: Any, groups: list[int], parts: int) -> list[list[int]]:
    """``groups`` dealt into ``parts`` shares, largest first, each to the share with the least so far, by
    an estimate of what writing and compiling a group costs: the lines its rules take in their packs
    (each rule's up to the next rule of its pack). Share 0, the parent's, is given a start of an eighth:
    a forked worker starts its share later (it first sets itself up)."""
    size = _estimates(ruleset, groups)
    loads = [0] * parts
    loads[0] = -sum(size.values()) // (8 * (parts - 1) or 1)
    shares: list[list[int]] = [[] for _ in range(parts)]
    for i in sorted(groups, key=lambda i: (-size[i], i)):
        k = min(range(parts), key=lambda k: (loads[k], k))
        loads[k] += size[i]
        shares[k].append(i)
    return [sorted(share) for share in shares]


def _values_out(values: dict[str, Any]) -> bytes:
    """A fused function's namespace values, pickled for another process of the run (:func:`_values_in`)."""
    import io
    import pickle

    from auditor.engine.coderuntime import UNSET

    class Out(pickle.Pickler):
        def persistent_id(self, obj: Any) -> str | None:
            return "UNSET" if obj is UNSET else None

    buffer = io.BytesIO()
    Out(buffer, pickle.HIGHEST_PROTOCOL).dump(values)
    return buffer.getvalue()


def _values_in(data: bytes) -> dict[str, Any]:
    import io
    import pickle

    from auditor.engine.coderuntime import UNSET

    class In(pickle.Unpickler):
        def persistent_load(self, pid: Any) -> Any:
            if pid == "UNSET":
                return UNSET
            raise pickle.UnpicklingError(f"unknown object {pid!r}")

    return In(io.BytesIO(data)).load()


def _take_compiled(ruleset: Any, groups: list[int], given: list[tuple]) -> None:
    """Give the rule set the groups of ``groups`` that other processes made (``given``, from
    :func:`_share_compiling`): each for a group of the same rules, not given a function yet. A group none
    made (or whose parts cannot be read) is compiled where it is met, as ever."""
    import marshal

    from auditor.engine.codegen import finish_rules

    for i, filename, source, name, codes, over, unsupported, data, code in given:
        if i not in groups or ruleset.compiled_group(i) is not None:
            continue
        if tuple(r.code for r in ruleset.group_rules(i)) != tuple(codes):
            continue
        try:
            written = (source, filename, _values_in(data), name, tuple(codes), tuple(over), tuple(unsupported))
            ruleset.set_compiled(i, finish_rules(written, marshal.loads(code)))
        except Exception:
            continue


def _send_code(child: _Forked, given: list[tuple]) -> None:
    """Send ``child`` the code the other processes compiled (on its code pipe, closed after: it reads to the end)."""
    import pickle

    if child.code_pipe is None:
        return
    fd, child.code_pipe = child.code_pipe, None
    try:
        if not child.ended and child.code is not None:
            view = memoryview(pickle.dumps(given, pickle.HIGHEST_PROTOCOL))
            while view:
                view = view[os.write(fd, view):]
    except OSError:  # it has ended: its first chunk says so (WorkerLost)
        pass
    finally:
        os.close(fd)


def _serve(work: int, results: int, inputs: Sequence[Input], ruleset: Any, checking: str) -> None:
    """A forked worker's loop: read a chunk's indexes, check those inputs, send their outcomes back."""
    import pickle

    from auditor.engine import RulePackError

    reader = os.fdopen(work, "rb")
    writer = os.fdopen(results, "wb")
    if _sharing is not None:  # the first sheet's fused functions: a share compiled here, the others' taken
        code, groups, part, parts, claims = _sharing
        mine = _own_share(ruleset, groups, part, parts, claims)
        data = pickle.dumps(("code", mine), pickle.HIGHEST_PROTOCOL)
        writer.write(_LENGTH.pack(len(data)) + data)
        writer.flush()
        with os.fdopen(code, "rb") as given:
            body = given.read()
        try:
            others = pickle.loads(body) if body else []
        except Exception:
            others = []
        try:
            _take_compiled(ruleset, groups, others)
        except Exception:  # compiled where they are met
            pass
    while True:
        head = reader.read(_COUNT.size)
        if len(head) < _COUNT.size:
            return  # the parent closed the pipe: no more work
        (count,) = _COUNT.unpack(head)
        body = reader.read(_COUNT.size * count)
        indexes = [i for (i,) in _COUNT.iter_unpack(body)]
        try:
            message = ("outcomes", [check_one(inputs[i], ruleset, checking) for i in indexes])
        except RulePackError as e:
            message = ("error", e)
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        writer.write(_LENGTH.pack(len(data)) + data)
        writer.flush()
        if message[0] == "error":
            return


def _end_children(children: Sequence[_Forked], stop: bool) -> None:
    """Close every child's pipes: at the end of the run, a child ends on its own once its work pipe is
    closed, and is reaped later (:func:`reap`: after the reports, which it need not wait for); when
    ``stop``, it is terminated at once and reaped now (killed after :data:`STOP_GRACE` seconds)."""
    import signal

    for child in children:
        for fd in (child.work, child.results, child.code_pipe):
            if fd is None:
                continue
            try:
                os.close(fd)
            except OSError:
                pass
        child.code_pipe = None
        if stop:
            try:
                os.kill(child.pid, signal.SIGTERM)
            except OSError:
                pass
    if stop:
        _wait([child.pid for child in children])
        return
    for child in children:
        try:
            pid, _ = os.waitpid(child.pid, os.WNOHANG)
        except ChildProcessError:
            continue
        if not pid:  # still ending: its exit (tearing down its memory) overlaps what the run does next
            _later(child.pid)


#: Forked workers told to end at the end of a run (their work pipe closed) that had not ended yet: reaped
#: by :func:`reap`, which the run calls once its reports are written, and at the process's exit.
_ending: list[int] = []


def _later(pid: int) -> None:
    if not _ending:
        import atexit

        atexit.unregister(reap)
        atexit.register(reap)
    _ending.append(pid)


def reap() -> None:
    """Reap the workers of earlier runs that were left to end on their own (:func:`_end_children`):
    each was told to end when its run's last outcome came, so each has ended or is ending; one
    still there after :data:`STOP_GRACE` seconds is killed."""
    if _ending:
        pids = list(_ending)
        del _ending[:]
        _wait(pids)


def _wait(pids: Sequence[int]) -> None:
    """Wait for the processes ``pids`` (children of this one) to end, at most :data:`STOP_GRACE`
    seconds for all, killing those that outlive it."""
    import signal
    import time

    deadline = time.monotonic() + STOP_GRACE
    for child in pids:
        while True:
            try:
                pid, _ = os.waitpid(child, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                break
            if time.monotonic() >= deadline:
                try:
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
                except (OSError, ChildProcessError):
                    pass
                break
            time.sleep(0.005)


def _ready(made: Any) -> bool:
    """Whether a chunk's outcomes are there: made here, none to make (every input from the cache), or back from the pool."""
    return made is None or isinstance(made, list) or made.done()


#: Chunks kept queued for each pool process while this process checks one of its own: enough that a
#: pool process never waits for work while this one checks a chunk.
AHEAD = 2
#: The most inputs sent to a worker at once: a chunk's outcomes (about 4 KB a generated sheet with its
#: index entry) then fit in a pipe's 64 KiB, so a worker never waits for this process to read them.
CHUNK = 12


def _result(future: Any, pool: Any = None) -> Any:
    """``future.result()``, waking every second, so that a signal is handled while workers run.

    A process of ``pool`` that has ended while the result is still due is a lost worker: the pool's
    :class:`~concurrent.futures.process.BrokenProcessPool`, raised here if the pool has not said so
    itself a second later. A worker killed half-way through writing its result to the pool's result
    pipe leaves the pool's own thread waiting for the rest of the message for ever, and the result
    would never come (:func:`_stop` then lets that thread go).
    """
    from concurrent.futures import TimeoutError as Pending

    while True:
        try:
            return future.result(timeout=1.0)
        except Pending:
            if pool is None or not _ended(pool):
                continue
            try:
                return future.result(timeout=1.0)
            except Pending:
                from concurrent.futures.process import BrokenProcessPool

                raise BrokenProcessPool("a worker process ended before handing back its inputs' results") from None


def _ended(pool: Any) -> bool:
    """Whether a process of ``pool`` (a :class:`~concurrent.futures.ProcessPoolExecutor`, whose processes
    end only when it is shut down) has ended."""
    processes = getattr(pool, "_processes", None) or {}
    return any(p.exitcode is not None for p in list(processes.values()))


#: Seconds a stopped worker is given to end on SIGTERM before it is killed, and then to be reaped.
STOP_GRACE = 2.0
#: Seconds the pool's manager thread is given to end once the workers are gone.
THREAD_GRACE = 5.0
#: Threads of stopped pools that did not end in time (:func:`stranded`).
_stranded: list[Any] = []


def _stop(pool: Any) -> None:
    """End every worker of ``pool`` at once, instead of letting each finish its batch.

    A worker may be stopped half-way through writing a result to the pool's result pipe (a result
    over 16 KiB goes as a length, then the body). The pool's manager thread, which has read the
    length, then waits for the rest; the pipe's other writer is this process, so without the
    last step below no end of file would ever come, and ``shutdown(wait=True)`` (or the
    interpreter's exit, which joins the pool's threads) would wait for ever. So: terminate the
    workers, reap them (killing any that outlives :data:`STOP_GRACE`), then close this process's
    end of the result pipe, so that a read cut short ends, and the pool sees itself broken and
    winds down.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        try:
            terminate()
        except Exception:
            pass
    for process in processes:
        try:
            process.terminate()
        except (OSError, AttributeError, ValueError):
            pass
    _reap(processes)
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        try:
            writer.close()
        except OSError:
            pass


def _reap(processes: Sequence[Any]) -> None:
    """Wait for terminated workers, at most :data:`STOP_GRACE` seconds, then kill those still alive."""
    import time

    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        try:
            process.join(max(0.0, deadline - time.monotonic()))
        except (OSError, AttributeError, ValueError, AssertionError):
            pass
    for process in processes:
        try:
            if process.is_alive():
                process.kill()
                process.join(STOP_GRACE)
        except (OSError, AttributeError, ValueError, AssertionError):
            pass


def _let_go(pool: Any) -> None:
    """Shut a stopped pool down, waiting for its manager thread at most :data:`THREAD_GRACE` seconds.

    Its workers are gone (:func:`_stop`) and nothing it holds is needed any more: the run is
    ending. A thread that outlives the wait is kept in :func:`stranded`, for the way out.
    """
    thread = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    if thread is not None:
        thread.join(THREAD_GRACE)
        if thread.is_alive():
            _stranded.append(thread)


def stranded() -> bool:
    """Whether a stopped pool left a thread running: the interpreter's exit would wait for it for ever
    (``concurrent.futures`` joins its threads at exit), so the process must end without that."""
    return any(thread.is_alive() for thread in _stranded)


def _check_batch(items: Sequence[Input]) -> list[Outcome]:
    return [_check_in_worker(item) for item in items]
