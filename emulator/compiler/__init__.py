"""The interpreter's compiler: RouterOS source (the routeros-lsp syntax tree) to closures over a frame.

One package, layered so that no module imports one above it and none hides a cycle in a function:

* ``context.py``: the compilation :class:`~emulator.compiler.context.Context` (source, resolver, mode, array spans)
  and the lexical :class:`~emulator.compiler.context.Scope` (names, slots, inside a loop, inside a ``where``);
* ``expr.py``: values and expressions; ``assign.py``: ``:local``/``:global``/``:set``; ``calls.py``: calls,
  ``:parse``, ``:execute``; ``where.py``: ``where`` filters; ``control.py``: the interpreter's own commands;
* ``core.py``: :class:`~emulator.compiler.core.Compiler`, the statement compiler, which the others reach only
  through the context's abstract methods.

The interpreter (``emulator/interp.py``) uses :class:`Compiler` and nothing else from here.
"""

from emulator.compiler.core import Compiler

__all__ = ["Compiler"]
