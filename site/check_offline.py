"""Checks that a built site loads nothing from another host.

Looks at every HTML file (``<script src>``, ``<link href>``, ``<img src/srcset>``,
``<source>``, ``<iframe>``, ``<video>``, ``<audio>``, ``<object>``, ``<embed>``,
inline ``<style>`` and ``style=""``) and every CSS file (``@import`` and
``url(...)``). Links a reader follows (``<a href>``) are not loads and are allowed.

Usage: ``python site/check_offline.py site/build``

Example:
    >>> external_loads_in_css("@import url(https://fonts.example.com/x.css);")
    ['https://fonts.example.com/x.css']
"""

import html.parser
import pathlib
import re
import sys

_URL_IN_CSS = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)|url\(\s*['"]?([^'")]+)""")
_LOAD_ATTRS = {
    "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",), "object": ("data",),
    "embed": ("src",), "track": ("src",), "input": ("src",), "image": ("href",),
}
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def is_external(url):
    """Whether loading ``url`` from a page of the site would reach another host.

    Example:
        >>> is_external("assets/katex/katex.min.js"), is_external("https://cdn.example.com/k.js")
        (False, True)
    """
    url = url.strip()
    match = re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//([^/:?#]+|\[[^\]]+\])", url)
    if match:
        return match.group(1).lower() not in _LOCAL_HOSTS
    return bool(re.match(r"^(?:ftp|ws|wss):", url, re.I))


def external_loads_in_css(text):
    """The external URLs that a piece of CSS would load."""
    urls = [a or b for a, b in _URL_IN_CSS.findall(text)]
    return [u for u in urls if is_external(u)]


class _Parser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._in_style = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and (attrs.get("rel") or "") in ("canonical", "alternate", "author", "license"):
            return
        for name in _LOAD_ATTRS.get(tag, ()):
            value = attrs.get(name) or ""
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
            self.found += [f"<{tag} {name}={u}>" for u in urls if u and is_external(u)]
        if attrs.get("style"):
            self.found += [f"<{tag} style> {u}" for u in external_loads_in_css(attrs["style"])]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.found += [f"<style> {u}" for u in external_loads_in_css(data)]


def external_loads(site_dir):
    """``{relative file: [external loads]}`` for every HTML and CSS file under ``site_dir``."""
    site_dir = pathlib.Path(site_dir)
    problems = {}
    for path in sorted(site_dir.rglob("*")):
        if path.suffix == ".html":
            parser = _Parser()
            parser.feed(path.read_text(errors="replace"))
            found = parser.found
        elif path.suffix == ".css":
            found = external_loads_in_css(path.read_text(errors="replace"))
        else:
            continue
        if found:
            problems[str(path.relative_to(site_dir))] = found
    return problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    site_dir = pathlib.Path(argv[0] if argv else "site/build")
    if not (site_dir / "index.html").is_file():
        print(f"check_offline: {site_dir} has no index.html; build the site first", file=sys.stderr)
        return 2
    problems = external_loads(site_dir)
    for name, found in problems.items():
        for item in found:
            print(f"{name}: loads {item}")
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    print(f"check_offline: {pages} pages, {sum(map(len, problems.values()))} external loads")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
