"""A griffe extension: reads lamina's Google docstrings the way their authors wrote them.

- ``Example:`` (singular) becomes ``Examples:``, so ``>>>`` lines render as code
  (griffe only parses the plural as an examples section).
- A parameter entry that names several parameters (``strides, padding: ...``,
  possibly wrapped over several lines, or ``*_initializer: ...``) is split into
  one entry per parameter with the same description.
- Sphinx roles (``:class:`Dense```) become code spans.
- A documented parameter that the signature lacks is reported (a strict build
  fails), unless the signature takes ``**kwargs`` (forwarded arguments).

Example:
    >>> normalize("Args:\\n    a, b: numbers.", ["a", "b"])
    'Args:\\n    a: numbers.\\n    b: numbers.'
"""

import fnmatch
import logging
import re

import griffe

_LOG = logging.getLogger("griffe")
_ROLE = re.compile(r":(?:class|meth|func|attr|mod|obj|exc|data|const):`~?([^`]+)`")
_ANY_ITEM = re.compile(r"^\*{0,2}(?P<name>[\w]+)\s*(\([^)]*\))?\s*:")

_ARGS = re.compile(r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Other Parameters):\s*$")
_SECTION = re.compile(r"^[A-Z][A-Za-z ]*:\s*$")
_ITEM = re.compile(r"^(?P<names>[\w*]+(?:\s*,\s*[\w*]+)*)\s*(?P<type>\([^)]*\))?\s*:(?P<rest>.*)$")


def _indent(line):
    return len(line) - len(line.lstrip())


def _expand(names, known):
    out = []
    for name in names:
        literal = name.lstrip("*") in known or "*" not in name
        matches = [] if literal else [k for k in known if fnmatch.fnmatchcase(k, name)]
        if matches:
            out += [k for k in matches if k not in out]
        elif name not in out:
            out.append(name)
    return out


def normalize(text, known=(), documented=None):
    """Rewrites one docstring: ``Example:`` headers, grouped parameter entries, Sphinx roles.

    ``documented``, when a list, receives the parameter names the Args sections describe.
    """
    lines = _ROLE.sub(r"``\1``", text).split("\n")
    out, i, section, item_indent = [], 0, None, None
    while i < len(lines):
        line, stripped = lines[i], lines[i].strip()
        if stripped == "Example:":
            out.append(line.replace("Example:", "Examples:"))
            section = None
            i += 1
            continue
        if _ARGS.match(stripped):
            section, item_indent = _indent(line), None
            out.append(line)
            i += 1
            continue
        if section is not None and stripped:
            if _indent(line) <= section and _SECTION.match(stripped):
                section = None
            elif item_indent is None:
                item_indent = _indent(line)
        if section is None or not stripped or _indent(line) != item_indent:
            out.append(line)
            i += 1
            continue
        single = _ANY_ITEM.match(stripped)
        if single and documented is not None:
            documented.append(single["name"])
        # An item line: join name lines that end with a comma (wrapped lists of names).
        head, j = stripped, i
        while head.endswith(",") and ":" not in head and j + 1 < len(lines):
            j += 1
            head = f"{head} {lines[j].strip()}"
        match = _ITEM.match(head)
        if not match or ("," not in match["names"] and "*" not in match["names"]):
            out.append(line)
            i += 1
            continue
        k = j + 1
        while k < len(lines) and (not lines[k].strip() or _indent(lines[k]) > item_indent):
            if not lines[k].strip() and (k + 1 >= len(lines) or _indent(lines[k + 1]) <= item_indent):
                break
            k += 1
        continuation = lines[j + 1:k]
        names = _expand([n.strip() for n in match["names"].split(",") if n.strip()], list(known))
        if documented is not None:
            if documented and single and documented[-1] == single["name"]:
                documented.pop()
            documented += [n.lstrip("*") for n in names]
        pad = " " * item_indent
        kind = f" {match['type']}" if match["type"] else ""
        for name in names:
            out.append(f"{pad}{name}{kind}:{match['rest']}")
            out += continuation
        i = k
    return "\n".join(out)


class LaminaDocstrings(griffe.Extension):
    """Applies :func:`normalize` to every docstring griffe loads."""

    def on_package(self, *, pkg, **kwargs):
        self.on_object(obj=pkg)  # griffe fires on_object for members only, not for the top package

    def on_object(self, *, obj, **kwargs):
        if obj.docstring is None:
            return
        known, forwards = [], True
        target = obj
        if obj.is_class and "__init__" in obj.members:
            target = obj.members["__init__"]
        if getattr(target, "is_function", False):
            known = [p.name for p in target.parameters]
            forwards = any(p.kind and p.kind.name == "var_keyword" for p in target.parameters)
        documented = []
        obj.docstring.value = normalize(obj.docstring.value, known, documented)
        if not forwards:
            for name in documented:
                if name not in known:
                    _LOG.warning("%s:%s: parameter %r is documented but %s does not take it",
                                 obj.filepath if not isinstance(obj.filepath, list) else obj.filepath[0],
                                 obj.docstring.lineno, name, obj.path)
