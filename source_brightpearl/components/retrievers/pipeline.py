"""Several Brightpearl requests of one stream in flight at once, in a bounded, ordered pipeline.

Brightpearl allows 200 requests a minute (one every 0.3 s) but takes from a few hundred milliseconds to seconds to
answer a detail GET. One request at a time, latency and not the cap sets the pace; a full-refresh stream is a single
partition, so the CDK's own concurrency (`concurrency_level`, one thread per partition) cannot help it. Inside a
partition, the detail GETs (and search pages whose position is known, see `paging.py`) therefore run on a small pool
shared by every stream of the sync:

- `RequestPool`: `workers` threads and as many *slots*. A slot is taken when a call is handed to the pool and given
  back when its result has been consumed (or discarded). Slots bound both the requests in flight and the answers
  waiting to be consumed, so memory stays flat however far the search runs ahead.
- `ordered_map(pool, fn, items, depth)`: `fn` over `items`, at most `depth` handed to the pool at a time, results
  yielded in the order of `items` (records, state and logs stay in search order). Slots are only ever *tried*: with
  none free, the caller first consumes its own oldest result, and with nothing of its own in flight it makes the
  call itself. So no thread ever waits for a slot held by another stream, and nothing can deadlock.
- `Prefetch`: the same for pages a caller will ask for later, by key; a page not prefetched is fetched in place.

Every request still goes through the declared requester: the API budget, the throttle gate (`pacing.py`), token
refreshes and retries apply to each one as before. An exception in a call reaches the caller when it consumes that
result, in order; the calls it had queued behind it are cancelled.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import Future
from typing import Any, Callable, Deque, Dict, Hashable, Iterable, Iterator, List, Mapping, Optional, Tuple, TypeVar

from source_brightpearl.components.pacing import waited_in_this_thread
from source_brightpearl.resources import load_spec

Y = TypeVar("Y")


class _Worker:
    """One daemon thread of a pool; it sleeps on its own event between calls."""

    def __init__(self, pool: RequestPool, first: _Call) -> None:
        self._pool = pool
        self._call: Optional[_Call] = first
        self._wake = threading.Event()
        threading.Thread(target=self._run, name=f"brightpearl-request-{pool.started}", daemon=True).start()

    def assign(self, call: _Call) -> None:
        self._call = call
        self._wake.set()

    def _run(self) -> None:
        while True:
            call, self._call = self._call, None
            if call is not None:
                _execute(*call)
                del call  # nothing of a finished call stays referenced by an idle thread
            next_call = self._pool._next_call(self)
            if next_call is not None:
                self._call = next_call
                continue
            self._wake.wait()
            self._wake.clear()


def _execute(future: Future[Any], fn: Callable[..., Any], args: Tuple[Any, ...]) -> None:
    if not future.set_running_or_notify_cancel():
        return
    started, paced_before = time.monotonic(), waited_in_this_thread()
    try:
        result = fn(*args)
    except BaseException as error:  # noqa: BLE001 - handed to whoever takes the result
        future.latency = _latency(started, paced_before)  # type: ignore[attr-defined]
        future.set_exception(error)
    else:
        future.latency = _latency(started, paced_before)  # type: ignore[attr-defined]
        future.set_result(result)


def _latency(started: float, paced_before: float) -> float:
    """How long the call took, less what it spent waiting for the throttle gate and the budget: the API's latency
    (and the interpreter's, when busy), not the pacing's."""
    return max(0.0, time.monotonic() - started - (waited_in_this_thread() - paced_before))


_Call = Tuple["Future[Any]", Callable[..., Any], Tuple[Any, ...]]


class RequestPool:
    """`workers` threads and `workers` slots, shared by every stream of a sync.

    The threads are daemons: when a sync fails, calls it abandoned may still be waiting out a throttle window or
    retrying, and they must not keep the process alive after the failure has been reported. Threads start only when
    no started one is idle, and the most recently idle one takes the next call: when few calls are in flight (the
    API is fast and the caller busy), few threads run, and each thread's allocator arena is not left holding the
    memory of answers it parsed long ago (measured: peak RSS grew with the number of threads used, not of calls).
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("a request pool needs at least one worker")
        self.workers = workers
        self.started = 0
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._idle: List[_Worker] = []  # a stack: the most recently idle worker is reused first
        self._backlog: Deque[_Call] = deque()

    def _dispatch(self, call: _Call) -> None:
        with self._lock:
            if self._idle:
                self._idle.pop().assign(call)
            elif self.started < self.workers:
                self.started += 1
                _Worker(self, call)
            else:  # a worker is between its call and going idle: it picks this up
                self._backlog.append(call)

    def _next_call(self, worker: _Worker) -> Optional[_Call]:
        with self._lock:
            if self._backlog:
                return self._backlog.popleft()
            self._idle.append(worker)
            return None

    def try_submit(self, fn: Callable[..., Y], *args: Any) -> Optional[Future[Y]]:
        """Hand `fn(*args)` to the pool if a slot is free (the slot stays taken until `take` or `discard`)."""
        if not self._slots.acquire(blocking=False):
            return None
        future: Future[Y] = Future()
        self._dispatch((future, fn, args))
        return future

    def take(self, future: Future[Y]) -> Y:
        """The call's result (or its exception), waiting for it if need be; gives its slot back."""
        try:
            return future.result()
        finally:
            self._slots.release()

    def discard(self, future: Future[Any]) -> None:
        """Forget a call: cancelled if it has not started, else its slot comes back when it ends."""
        if future.cancel():
            self._slots.release()
        else:
            future.add_done_callback(lambda _: self._slots.release())


def configured_workers(config: Mapping[str, Any]) -> int:
    """`num_workers` from the config, else spec.json's default."""
    value = config.get("num_workers")
    if value is None:
        value = load_spec()["connectionSpecification"]["properties"]["num_workers"]["default"]
    return max(1, int(value))


_POOLS: Dict[int, RequestPool] = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(workers: int) -> RequestPool:
    """The process's pool of `workers` threads (one per size, created on first use and kept for the process)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(workers)
        if pool is None:
            pool = _POOLS[workers] = RequestPool(workers)
        return pool


class _Pace:
    """How many calls to keep in flight, adapted as results come in (the idea of TCP Vegas): compare each call's
    latency with the least latency seen lately. Calls that take about the least are not queuing anywhere, so one
    more in flight means more done per second: the limit grows, up to `depth`. Calls that take much longer are
    queuing for the interpreter, when the caller is busy serializing records (with the cap lifted): more in flight
    would only hold more answers in memory, so the limit shrinks. It grows only while the caller has to wait for
    results. Latency here leaves out time spent waiting for the throttle gate and the budget (pacing.py): waiting
    for the next window is not a sign of too many calls in flight. `queued` estimates how
    many of the calls in flight are waiting rather than working: `limit × (1 − least / latency)`.
    """

    GROW_BELOW = 1.0
    SHRINK_ABOVE = 2.0
    HISTORY = 50  # the least latency over this many recent calls (the API's latency may change during a sync)

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.floor = 1
        self.limit = max(self.floor, depth // 2)
        self._recent: Deque[float] = deque(maxlen=self.HISTORY)

    def took(self, latency: float, waited: bool) -> None:
        """A result was taken; `waited`: the caller had to wait for it (else it was there before it was wanted)."""
        self._recent.append(max(latency, 1e-6))
        least = min(self._recent)
        queued = self.limit * (1.0 - least / max(latency, 1e-6))
        if waited and queued < self.GROW_BELOW:
            self.limit = min(self.depth, self.limit + 2)
        elif queued > self.SHRINK_ABOVE:
            self.limit = max(self.floor, self.limit - 1)


def ordered_map(
    pool: RequestPool,
    fn: Callable[[Any], Any],
    items: Iterable[Any],
    depth: int,
    passthrough: Callable[[Any], bool] = lambda item: False,
) -> Iterator[Any]:
    """`fn(item)` for each item, up to `depth` of them on the pool at once (fewer when fewer suffice, see `_Pace`),
    yielded in the order of `items`; items for which `passthrough` is true (progress messages) are yielded as they
    are, in their place. `items` is consumed lazily, in the caller's thread."""
    pending: Deque[Tuple[Future[Any], bool]] = deque()  # (result, on the pool)
    pace = _Pace(depth)

    def take_head() -> Any:
        future, pooled = pending.popleft()
        if not pooled:
            return future.result()
        waited = not future.done()
        try:
            return pool.take(future)
        finally:
            pace.took(getattr(future, "latency", 0.0), waited)

    try:
        for item in items:
            # Results already there go out first: records flow early and slots come back.
            while pending and pending[0][0].done():
                yield take_head()
            if passthrough(item):
                ready: Future[Any] = Future()
                ready.set_result(item)
                pending.append((ready, False))
                continue
            while len(pending) >= pace.limit:
                yield take_head()
            while True:
                future = pool.try_submit(fn, item)
                if future is not None:
                    pending.append((future, True))
                    break
                if pending:
                    yield take_head()  # our own oldest result frees a slot
                    continue
                yield fn(item)  # every slot is busy with other streams: do this one here
                break
        while pending:
            yield take_head()
    finally:
        while pending:
            future, pooled = pending.popleft()
            if pooled:
                pool.discard(future)


class Prefetch:
    """Pages fetched ahead of the caller, by key (e.g. a search page's `firstResult`), at most `depth` at a time.

    `get(key, fetch)` returns the prefetched result for `key` if there is one, else calls `fetch()` in place. Asking
    for a key out of the prefetched order (a restarted search) discards what was fetched ahead.
    """

    def __init__(self, pool: RequestPool, depth: int) -> None:
        self._pool = pool
        self._depth = depth
        self._ahead: OrderedDict[Hashable, Future[Any]] = OrderedDict()

    def ahead(self, keyed_calls: Iterable[Tuple[Hashable, Callable[[], Any]]]) -> None:
        """Hand the next calls to the pool, in order, while fewer than `depth` are ahead and slots are free."""
        for key, call in keyed_calls:
            if len(self._ahead) >= self._depth:
                return
            if key in self._ahead:
                continue
            future = self._pool.try_submit(call)
            if future is None:
                return
            self._ahead[key] = future

    def get(self, key: Hashable, fetch: Callable[[], Any]) -> Any:
        if self._ahead:
            first_key = next(iter(self._ahead))
            if first_key == key:
                return self._pool.take(self._ahead.pop(first_key))
            self.close()
        return fetch()

    def close(self) -> None:
        while self._ahead:
            _, future = self._ahead.popitem(last=False)
            self._pool.discard(future)

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
