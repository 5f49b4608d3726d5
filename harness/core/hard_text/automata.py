"""Acyclic finite automata over words (or characters), walked without ever listing what they accept.

A spoken form (`harness.core.hard_text.grammar`) may allow billions of readings (a phone number with "oh" or
"zero" for each 0), and a regular expression over its readings backtracks exponentially on a near miss. So
the grammar compiles each form to an automaton here (a Thompson construction: a state reads one symbol or
moves silently to a few others) and every question is a walk over it:

- whether a sequence is accepted: the set of states it can reach, symbol by symbol (linear in the sequence
  times the automaton's size);
- the shortest sequence two automata both accept (`shortest_shared`): a breadth-first walk of their product,
  each pair of states visited once (linear in the product of their sizes, whatever the number of readings);
- what it accepts (`readings`), one path at a time with memory for one path; how many (`count`) by counting
  paths, never listing them.

The grammar has no repetition, so an automaton has no cycle: a state's moves lead only to states made before
it (smaller numbers), which makes counting a single pass and every walk finite. Nothing here knows the
grammar's syntax; `Builder` is what the grammar compiles with.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

States = frozenset[int]


class TooLarge(ValueError):
    """A walk would visit more states than its caller allowed (the message is one line)."""


class Automaton:
    """States ``0 .. n-1``; state ``s`` either reads ``symbols[s]`` and goes to ``targets[s]``, or (its symbol
    None) moves silently to each of ``skips[s]``, in order; ``final`` accepts. A set of states handed out
    (``start``, `advance`) holds only reading states and ``final``: the silent moves already taken, so two
    sets that can read the same are equal."""

    __slots__ = ("final", "initial", "skips", "start", "symbols", "targets")

    def __init__(
        self,
        symbols: tuple[str | None, ...],
        targets: tuple[int, ...],
        skips: tuple[tuple[int, ...], ...],
        initial: int,
        final: int,
    ) -> None:
        self.symbols = symbols
        self.targets = targets
        self.skips = skips
        self.initial = initial
        self.final = final
        self.start: States = self.closure((initial,))

    def __len__(self) -> int:
        return len(self.symbols)

    def closure(self, states: Iterable[int]) -> States:
        """The reading states and ``final`` reached from ``states`` by silent moves."""
        seen: set[int] = set()
        todo = list(states)
        kept: set[int] = set()
        while todo:
            state = todo.pop()
            if state in seen:
                continue
            seen.add(state)
            if self.symbols[state] is not None or state == self.final:
                kept.add(state)
            else:
                todo.extend(self.skips[state])
        return frozenset(kept)

    def next_words(self, states: States) -> set[str]:
        """The symbols ``states`` can read next."""
        return {symbol for state in states if (symbol := self.symbols[state]) is not None}

    def advance(self, states: States, symbol: str) -> States:
        """Where ``states`` are after reading ``symbol`` (empty: it cannot be read there)."""
        return self.closure(self.targets[state] for state in states if self.symbols[state] == symbol)

    def advance_any(self, states: States, symbols: Collection[str]) -> States:
        """Where ``states`` are after reading any one of ``symbols`` (spellings of one sound)."""
        return self.closure(self.targets[state] for state in states if self.symbols[state] in symbols)

    def accepting(self, states: States) -> bool:
        """Whether a sequence that reached ``states`` is accepted as it stands."""
        return self.final in states

    def accepts(self, sequence: Iterable[str]) -> bool:
        states = self.start
        for symbol in sequence:
            states = self.advance(states, symbol)
            if not states:
                return False
        return self.accepting(states)

    def readings(self) -> Iterator[tuple[str, ...]]:
        """Every path's symbols, depth first in the order the moves were made (memory: one path)."""
        path: list[str] = []
        stack: list[list[int]] = [[self.initial, 0, 0]]  # state, next move to try, whether entering it read a symbol
        while stack:
            frame = stack[-1]
            state, move, read = frame
            symbol = self.symbols[state]
            if state == self.final:
                yield tuple(path)
            elif symbol is not None and move == 0:
                frame[1] = 1
                path.append(symbol)
                stack.append([self.targets[state], 0, 1])
                continue
            elif symbol is None and move < len(self.skips[state]):
                frame[1] = move + 1
                stack.append([self.skips[state][move], 0, 0])
                continue
            stack.pop()
            if read:
                path.pop()

    def count(self) -> int:
        """The number of paths, which `readings` yields (a sequence two paths read is counted twice)."""
        paths = [0] * len(self.symbols)  # moves lead to smaller states: each is counted before it is needed
        for state, symbol in enumerate(self.symbols):
            if state == self.final:
                paths[state] = 1
            elif symbol is not None:
                paths[state] = paths[self.targets[state]]
            else:
                paths[state] = sum(paths[target] for target in self.skips[state])
        return paths[self.initial]


class Builder:
    """Makes an automaton from its end backwards: each new state's moves lead to states already made."""

    def __init__(self) -> None:
        self.symbols: list[str | None] = [None]
        self.targets: list[int] = [-1]
        self.skips: list[tuple[int, ...]] = [()]
        self.final = 0

    def reading(self, symbol: str, then: int) -> int:
        """A new state that reads ``symbol`` and goes to ``then``."""
        symbols = self.symbols
        symbols.append(symbol)
        self.targets.append(then)
        self.skips.append(())
        return len(symbols) - 1

    def choosing(self, then: Iterable[int]) -> int:
        """A new state that moves silently to each of ``then``."""
        self.symbols.append(None)
        self.targets.append(-1)
        self.skips.append(tuple(then))
        return len(self.symbols) - 1

    def built(self, initial: int) -> Automaton:
        return Automaton(tuple(self.symbols), tuple(self.targets), tuple(self.skips), initial, self.final)


def shortest_shared(first: Automaton, second: Automaton, *, limit: int | None = None) -> tuple[str, ...] | None:
    """One shortest sequence both automata accept (None: they share none), by a breadth-first walk of their
    product: a pair of states moves silently when either does, and reads a symbol when both read it. Each pair
    is visited once; ``limit`` caps how many (`TooLarge` beyond)."""
    width = len(second)
    start = first.initial * width + second.initial
    goal = first.final * width + second.final
    came_from: dict[int, tuple[int, str | None]] = {start: (-1, None)}
    layer = [start]
    while layer:
        _silent_closure(first, second, layer, came_from)  # `layer` grows by the pairs silent moves reach
        if limit is not None and len(came_from) > limit:
            raise TooLarge(f"more than {limit:,} pairs of states to visit")
        if goal in came_from:
            return _path(came_from, goal)
        following: list[int] = []
        for pair in layer:
            state, other = divmod(pair, width)
            symbol = first.symbols[state]
            if symbol is not None and symbol == second.symbols[other]:
                reached = first.targets[state] * width + second.targets[other]
                if reached not in came_from:
                    came_from[reached] = (pair, symbol)
                    following.append(reached)
        layer = following
    return None


def _silent_closure(
    first: Automaton, second: Automaton, layer: list[int], came_from: dict[int, tuple[int, str | None]]
) -> None:
    width = len(second)
    index = 0
    while index < len(layer):
        pair = layer[index]
        index += 1
        state, other = divmod(pair, width)
        for target in first.skips[state]:
            reached = target * width + other
            if reached not in came_from:
                came_from[reached] = (pair, None)
                layer.append(reached)
        for target in second.skips[other]:
            reached = pair - other + target
            if reached not in came_from:
                came_from[reached] = (pair, None)
                layer.append(reached)


def _path(came_from: dict[int, tuple[int, str | None]], pair: int) -> tuple[str, ...]:
    said: list[str] = []
    while True:
        previous, symbol = came_from[pair]
        if previous < 0:
            return tuple(reversed(said))
        if symbol is not None:
            said.append(symbol)
        pair = previous
