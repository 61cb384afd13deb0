#!/usr/bin/env python3
"""The docs site's own pages (make docs), beside rustdoc, Doxygen and pdoc.

    render.py width ROOT             code lines of README.md and docs/*.md that
                                     are too wide for a page (fails naming them)
    render.py guides ROOT OUT VER    docs/*.md as OUT/NAME.html, and the
                                     repository's Markdown and files they link
                                     (README.md, CHANGELOG.md, images) under
                                     OUT/repo/; then OUT/index.html from
                                     docs/index.html, listing every guide
    render.py man MANDIR OUT VER     each man page of MANDIR as OUT/NAME.html
                                     (mandoc -T html) and OUT/index.html
    render.py links OUT              every relative href and src of OUT's own
                                     pages resolves (fails naming page and link)

Every page shares docs/site.css, copied to OUT. Markdown is rendered by
Python-Markdown (pinned in the Makefile) with fenced code and tables;
headings get GitHub's anchors, so links written for GitHub work here too.
"""

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What a code line may hold: site.css sets code in 13.5px monospace
# (0.6em a character) in a 60rem column, 110 characters and the padding.
MAX_CODE_COLUMNS = 110
FENCE = re.compile(r"^\s*(```|~~~)")


def fail(messages):
    for message in messages:
        print(message, file=sys.stderr)
    sys.exit(1)


def markdown_sources(root):
    """README.md and docs/*.md, as paths relative to root."""
    return [Path("README.md")] + sorted(p.relative_to(root) for p in (root / "docs").glob("*.md"))


def width(root):
    """Fails on fenced code lines longer than MAX_CODE_COLUMNS."""
    too_wide = []
    for source in markdown_sources(root):
        fence = None
        for number, line in enumerate((root / source).read_text(encoding="utf-8").splitlines(), 1):
            match = FENCE.match(line)
            if match and (fence is None or match.group(1) == fence):
                fence = None if fence else match.group(1)
                continue
            if fence and len(line) > MAX_CODE_COLUMNS:
                too_wide.append(
                    f"{source}:{number}: a code line of {len(line)} characters, "
                    f"more than the {MAX_CODE_COLUMNS} a docs page shows: break it"
                )
    if too_wide:
        fail(too_wide)


def github_slug(text):
    """The anchor GitHub gives a heading: lower case, punctuation dropped,
    spaces as hyphens."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return slug.replace(" ", "-")


def page(title, body, css, version, source=None, extra_head=""):
    footer = f"Rendered from <code>{html.escape(source)}</code> by " if source else "Built by "
    index = os.path.join(os.path.dirname(css), "index.html")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · atlas-admin {version}</title>
<link rel="stylesheet" href="{css}">{extra_head}
</head>
<body>
<nav><a href="{index}">atlas-admin {version}</a></nav>
<main>
{body}
</main>
<footer>{footer}<code>make docs</code>.</footer>
</body>
</html>
"""


class Site:
    """Where each repository file goes in the site, and what is left to render."""

    def __init__(self, root, out):
        self.root = root
        self.out = out
        self.queue = []
        self.placed = {}

    def output(self, source):
        """The site path of repository file `source` (relative to the root)."""
        if source.parent == Path("docs") and source.suffix == ".md":
            return Path(source.stem + ".html")
        if source.suffix == ".md":
            return Path("repo") / source.with_suffix(".html")
        return Path("repo") / source

    def place(self, source):
        """Queues `source` for the site and returns where it goes."""
        if source not in self.placed:
            self.placed[source] = self.output(source)
            self.queue.append(source)
        return self.placed[source]

    def link(self, page_source, href):
        """`href` as written in `page_source`, rewritten for the site; a
        link into the repository that names no file is an error."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            return href
        target = Path(os.path.normpath(page_source.parent / unquote(parts.path)))
        if target.parts and target.parts[0] == "..":
            raise LinkError(f"{page_source}: {href} leaves the repository")
        if not (self.root / target).is_file():
            raise LinkError(f"{page_source}: {href}: no such file in the repository")
        here = self.output(page_source).parent
        there = self.place(target)
        new = os.path.relpath(there, here)
        return new + (f"#{parts.fragment}" if parts.fragment else "")


class LinkError(Exception):
    pass


def render_markdown(site, source, version):
    import markdown
    from markdown.extensions import Extension
    from markdown.treeprocessors import Treeprocessor

    errors = []

    class Rewrite(Treeprocessor):
        def run(self, tree):
            used = {}
            for element in tree.iter():
                if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    slug = github_slug("".join(element.itertext()))
                    count = used.get(slug, 0)
                    used[slug] = count + 1
                    element.set("id", slug if count == 0 else f"{slug}-{count}")
                for attribute in ("href", "src"):
                    value = element.get(attribute)
                    if value is None:
                        continue
                    try:
                        element.set(attribute, site.link(source, value))
                    except LinkError as error:
                        errors.append(str(error))

    class Anchors(Extension):
        def extendMarkdown(self, md):
            md.treeprocessors.register(Rewrite(md), "atlas_rewrite", 0)

    text = (site.root / source).read_text(encoding="utf-8")
    body = markdown.markdown(text, extensions=["fenced_code", "tables", Anchors()])
    title_match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    title = html.unescape(re.sub(r"<[^>]+>", "", title_match.group(1))) if title_match else source.name
    out = site.out / site.output(source)
    out.parent.mkdir(parents=True, exist_ok=True)
    css = os.path.relpath("site.css", site.output(source).parent)
    out.write_text(page(title, body, css, version, str(source)), encoding="utf-8")
    return title, errors


def guides(root, out, version):
    """docs/*.md and what they link; then the landing page listing them."""
    site = Site(root, out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "docs" / "site.css", out / "site.css")
    guide_sources = [s for s in markdown_sources(root) if s.parent == Path("docs")]
    # The README too: the landing page links it.
    for source in [Path("README.md")] + guide_sources:
        site.place(source)
    titles, errors = {}, []
    while site.queue:
        source = site.queue.pop(0)
        if source.suffix == ".md":
            title, page_errors = render_markdown(site, source, version)
            titles[source] = title
            errors.extend(page_errors)
        else:
            target = out / site.output(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(root / source, target)
    if errors:
        fail(errors)
    items = "\n".join(
        f'    <li><a href="{site.output(s)}">{html.escape(titles[s])}</a></li>' for s in guide_sources
    )
    landing = (root / "docs" / "index.html").read_text(encoding="utf-8")
    if "@GUIDES@" not in landing:
        fail(["docs/index.html has no @GUIDES@ for the list of guides"])
    landing = landing.replace("@VERSION@", version).replace("@GUIDES@", items)
    (out / "index.html").write_text(landing, encoding="utf-8")


def man(mandir, out, version):
    """Each man page as HTML, its references to the others as links."""
    out.mkdir(parents=True, exist_ok=True)
    # atlas-admin(1) first, then its commands'.
    pages = sorted(Path(mandir).glob("*.[1-9]"), key=lambda p: (p.stem != "atlas-admin", p.name))
    if not pages:
        fail([f"no man pages in {mandir}"])
    names = {p.name for p in pages}
    rows, errors = [], []
    for source in pages:
        # Errors and unsupported requests fail; clap_mangen's roff draws
        # mandoc style warnings (a version where .TH has a date) that
        # groff, which man uses, does not.
        run = subprocess.run(
            ["mandoc", "-T", "html", "-W", "error,stop", "-O", "fragment", str(source)],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0 or run.stderr:
            errors.append(f"{source.name}: mandoc failed ({run.returncode}): {run.stderr}")
            continue

        def reference(match):
            name = f"{match.group(1)}.{match.group(2)}"
            if name in names:
                return f'<a href="{name}.html"><b>{match.group(1)}</b></a>({match.group(2)})'
            return match.group(0)

        body = re.sub(r"<b>(atlas-admin[a-z-]*)</b>\((\d)\)", reference, run.stdout)
        (out / f"{source.name}.html").write_text(
            page(f"{source.stem}({source.suffix[1:]})", f'<div class="man">{body}</div>', "../site.css", version),
            encoding="utf-8",
        )
        summary = re.search(r'id="NAME".*?<p class="Pp">(.*?)</p>', run.stdout, re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "", summary.group(1))) if summary else source.stem
        description = re.sub(r"\s+", " ", text.split(" - ", 1)[-1])
        rows.append(
            f'<tr><td><a href="{source.name}.html">{source.stem}({source.suffix[1:]})</a></td>'
            f"<td>{html.escape(description)}</td></tr>"
        )
    if errors:
        fail(errors)
    body = (
        "<h1>The atlas-admin command line</h1>\n"
        "<p>Its manual pages, as <code>atlas-admin man --dir DIR</code> writes them "
        "(and <code>make install</code> installs them).</p>\n"
        '<table class="man-index">\n' + "\n".join(rows) + "\n</table>"
    )
    (out / "index.html").write_text(page("Manual pages", body, "../site.css", version), encoding="utf-8")


class Refs(HTMLParser):
    """The hrefs and srcs of a page, and its ids."""

    def __init__(self):
        super().__init__()
        self.refs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append(value)
            if name in ("id", "name") and value is not None:
                self.ids.add(value)


def parse(path):
    refs = Refs()
    refs.feed(path.read_text(encoding="utf-8", errors="replace"))
    return refs


def links(out):
    """Every relative link of the site's own pages (the landing page, the
    guides, the man pages) names a file that was built, and an anchor on
    one of those pages names an id on it."""
    own = [out / "index.html"] + sorted(out.glob("*.html")) + sorted((out / "repo").rglob("*.html"))
    own += sorted((out / "man").glob("*.html"))
    own = list(dict.fromkeys(own))
    parsed = {}
    broken = []
    for path in own:
        refs = parsed.setdefault(path, parse(path))
        for ref in refs.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc:
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
            shown = f"{path.relative_to(out)} links {ref}"
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or target.stat().st_size == 0:
                broken.append(f"{shown}, which was not built")
                continue
            if parts.fragment and target in [p.resolve() for p in own]:
                ids = parsed.setdefault(target, parse(target)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{shown}: no #{parts.fragment} on {target.relative_to(out.resolve())}")
    if broken:
        fail(broken)
    print(f"links: {len(own)} pages, every relative link resolves")


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "width":
        width(Path(args[0]))
    elif command == "guides":
        guides(Path(args[0]), Path(args[1]), args[2])
    elif command == "man":
        man(Path(args[0]), Path(args[1]), args[2])
    elif command == "links":
        links(Path(args[0]))
    else:
        fail([__doc__])


if __name__ == "__main__":
    main(sys.argv)
