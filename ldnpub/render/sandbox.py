"""What a layout may touch: inert data, in a sandbox that refuses everything else and bounds
what a layout can spend.

A layout is code from the project, and a shared project is untrusted. Jinja2's sandbox alone
does not make an object safe: any method on an object in the context can be called (a pydantic
model's parse_file, a Path's write_text). So the render stage hands layouts plain data only
(`inert`), and `LayoutSandbox` refuses attribute access on any other type, so an object that
slipped through would still be out of reach. Loops, calls, output and memory are bounded.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import PurePath

from jinja2 import StrictUndefined, runtime, utils
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from pydantic import BaseModel

MAX_OUTPUT = 20 * 2**20  # characters of HTML: the whole booklet is about 0.3 MB
MAX_VALUE = 2**20  # characters of a value a layout makes (strings, lists): content files are under 1 MB
MAX_STEPS = 200_000  # loop iterations of range() plus calls, per document
MAX_LINES = 5_000_000  # lines of layout code run, per document: the booklet runs about 5,000
MAX_NUMBER = 100_000  # a filter's numeric argument (a width, a count)
MAX_MEMORY = 2 * 2**30  # bytes a render may add to the process's address space


class Record(Mapping):
    """Named fields for a layout, read-only: `r.name` and `r["name"]` read a field, and a
    record has no method a layout can reach (the sandbox maps attribute access to fields)."""

    __slots__ = ("_fields",)

    def __init__(self, fields: Mapping[str, object]):
        object.__setattr__(self, "_fields", dict(fields))

    def __getitem__(self, name: str) -> object:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __setattr__(self, name, value):
        raise AttributeError("a Record is read-only")

    def __repr__(self) -> str:
        return f"Record({self._fields!r})"


SCALARS = (bool, int, float, type(None))


def inert(value: object) -> object:
    """Plain data with the same shape: text, numbers, dates, tuples and Records. Paths become
    text; anything else (a callable, a module, an unknown object) is refused."""
    if isinstance(value, Markup):
        return Markup(str.__str__(value))
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (tuple, list, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return tuple(inert(item) for item in items)
    if isinstance(value, Mapping):
        return Record({str(key): inert(item) for key, item in value.items()})
    if isinstance(value, BaseModel):
        return Record({**{name: inert(getattr(value, name)) for name in type(value).model_fields},
                       **_properties(value)})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return Record({**{f.name: inert(getattr(value, f.name)) for f in dataclasses.fields(value)},
                       **_properties(value)})
    raise TypeError(f"a {type(value).__name__} cannot be handed to a layout")


def _properties(value: object) -> dict[str, object]:
    """The public properties ldnpub's own classes define (a target's output_name, ...)."""
    found = {}
    for cls in type(value).__mro__:
        if not cls.__module__.startswith("ldnpub"):
            continue
        for name, member in vars(cls).items():
            if isinstance(member, property) and not name.startswith("_") and name not in found:
                found[name] = inert(getattr(value, name))
    return found


# Types a layout may read attributes of: inert data, what a layout makes itself (Jinja's
# immutable sandbox refuses changing lists and dicts), and Jinja's own runtime objects.
READABLE = (str, *SCALARS, tuple, list, dict, range, dt.date, Record, runtime.LoopContext, runtime.Macro,
            runtime.Undefined, runtime.TemplateReference, TemplateModule, runtime.BlockReference, utils.Namespace,
            utils.Cycler, utils.Joiner)
# Widths in these allocate without bound: "ab".zfill(1900000000) is 1.9 GB.
UNSAFE_STRING_METHODS = {"format", "format_map", "zfill", "ljust", "rjust", "center", "expandtabs"}
BIG_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d{5,})|\.(\*|\d{5,})")


class BudgetExceeded(SecurityError):
    pass


_budget: contextvars.ContextVar[list[int]] = contextvars.ContextVar("layout_budget")


def _spend(steps: int) -> None:
    budget = _budget.get(None)
    if budget is None:
        return
    budget[0] -= steps
    if budget[0] < 0:
        raise BudgetExceeded(f"the layout runs more than {MAX_STEPS:,} loop steps and calls")


class BoundedNamespace(utils.Namespace):
    """namespace() whose values stay small: {% set ns.x = ns.x ~ ns.x %} cannot double forever."""

    def __setitem__(self, name, value):
        _check_size(value, MAX_VALUE)
        super().__setitem__(name, value)


def _check_size(value: object, limit: int = MAX_OUTPUT) -> object:
    if isinstance(value, (str, tuple, list)) and len(value) > limit:
        raise BudgetExceeded(f"the layout makes a value longer than {limit:,}")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4096:
        raise BudgetExceeded("the layout makes a number too large")
    return value


def _budgeted_range(*args: int) -> range:
    numbers = range(*args)
    _spend(len(numbers))
    return numbers


def _bounded_filter(function):
    """A filter whose numeric arguments (widths, counts) and result stay within bounds."""
    first = 1 if hasattr(function, "jinja_pass_arg") else 0  # after the context or environment it is passed

    def bounded(*args, **kwargs):
        for arg in args[first:first + 1]:
            if isinstance(arg, (str, tuple, list)) and len(arg) > MAX_VALUE:
                raise BudgetExceeded(f"a filter is given a value longer than {MAX_VALUE:,}")
        for arg in (*args[first + 1:], *kwargs.values()):
            if isinstance(arg, (int, float)) and not isinstance(arg, bool) and abs(arg) > MAX_NUMBER:
                raise BudgetExceeded(f"a filter's argument {arg!r} is too large")
        if function is _FORMAT and len(args) > first and isinstance(args[first], str) \
                and BIG_FORMAT_WIDTH.search(args[first]):
            raise BudgetExceeded("a format with a huge width")
        return _check_size(function(*args, **kwargs), MAX_VALUE)
    if hasattr(function, "jinja_pass_arg"):  # @pass_context, @pass_environment ... stay as they were
        bounded.jinja_pass_arg = function.jinja_pass_arg
    return bounded


_FORMAT = ImmutableSandboxedEnvironment().filters["format"]


class LayoutSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, reading attributes of inert data only, with bounds."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, **options):
        options.setdefault("undefined", StrictUndefined)
        super().__init__(finalize=self._finalize, **options)
        self.globals["range"] = _budgeted_range
        self.globals["namespace"] = BoundedNamespace
        self.globals.pop("lipsum", None)  # placeholder text, unbounded: no layout of ours needs it
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    def add_filters(self, **filters) -> None:
        self.filters.update({name: _bounded_filter(f) for name, f in filters.items()})

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if not isinstance(obj, READABLE) or isinstance(obj, type):
            return False
        if isinstance(obj, str) and attr in UNSAFE_STRING_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj, attribute: str):
        if isinstance(obj, Record):
            return self._field(obj, attribute)
        if isinstance(obj, str) and attribute in UNSAFE_STRING_METHODS:  # before Jinja wraps them
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        if isinstance(obj, Record):
            return self._field(obj, argument)
        if isinstance(obj, str) and argument in UNSAFE_STRING_METHODS:
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def _field(self, record: Record, name):
        if isinstance(name, str) and name in record:
            return record[name]
        return self.undefined(hint=f"{name!r} is not a field here; the fields are: {', '.join(record) or 'none'}")

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _spend(1)
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator: str, left, right):
        if operator == "*" and _length(left) * _length(right) > MAX_VALUE:
            raise BudgetExceeded(f"the layout makes a value longer than {MAX_VALUE:,}")
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise BudgetExceeded("the layout raises a number to too high a power")
        if operator == "%" and isinstance(left, str) and BIG_FORMAT_WIDTH.search(left):
            raise BudgetExceeded("a format with a huge width")
        return _check_size(super().call_binop(context, operator, left, right), MAX_VALUE)

    @staticmethod
    def _finalize(value):
        if isinstance(value, str):
            _spend(len(value) // 1000)
        return _check_size(value)


def _length(value) -> int:
    """How big a value makes a product: a sequence's length, an integer's size."""
    if isinstance(value, (str, tuple, list)):
        return max(len(value), 1)
    if isinstance(value, int) and not isinstance(value, bool):
        return max(abs(value), 1) if abs(value) < MAX_VALUE else MAX_VALUE + 1
    return 1


def render_bounded(template, context: Mapping[str, object]) -> str:
    """The template rendered with context, within MAX_STEPS, MAX_LINES, MAX_OUTPUT and MAX_MEMORY."""
    token = _budget.set([MAX_STEPS])
    try:
        with _memory_limit(), _line_limit(template.environment):
            parts, size = [], 0
            for part in template.generate(**context):
                size += len(part)
                if size > MAX_OUTPUT:
                    raise BudgetExceeded(f"the layout writes more than {MAX_OUTPUT:,} characters")
                parts.append(part)
            return "".join(parts)
    except MemoryError:
        raise BudgetExceeded(f"the layout needs more than {MAX_MEMORY // 2**30} GB of memory") from None
    finally:
        _budget.reset(token)


@contextlib.contextmanager
def _line_limit(environment) -> Iterator[None]:
    """Count the lines of layout code run (a trace on the layout's own frames only, told apart by
    their globals): a loop over a string or a list costs no range() step and no call, and three
    nested over 3,000 characters each would run for hours. Other code runs untraced."""
    import sys

    left = [MAX_LINES]

    def lines(frame, event, arg):
        if event == "line":
            left[0] -= 1
            if left[0] < 0:
                raise BudgetExceeded(f"the layout runs more than {MAX_LINES:,} lines of template code")
        return lines

    def calls(frame, event, arg):
        return lines if frame.f_globals.get("environment") is environment else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        yield
    finally:
        sys.settrace(previous)


@contextlib.contextmanager
def _memory_limit() -> Iterator[None]:
    """Cap the address space while a layout runs: what a template allocates fails as MemoryError
    instead of taking the machine. The limit is put back afterwards (Linux; elsewhere nothing)."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError):
        yield
        return
    cap = used + MAX_MEMORY
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
