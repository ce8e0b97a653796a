"""Answer templates (``prompts/*.j2``), checked when loaded rather than when a user trips on them.

The folder is called ``prompts/`` (the project's fixed layout), but no language model reads it:
each file is a Jinja2 template that lays out the article's own sentences and citations."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, meta

# Each answer type: the variables its template may use, and those it must use.
TEMPLATE_VARIABLES: dict[str, tuple[set[str], set[str]]] = {
    "content": ({"citations", "question"}, {"citations"}),
    "attribution": ({"people", "question"}, {"people"}),
    "event": ({"citations", "source", "about", "question"}, {"citations", "source"}),
    "list": ({"people", "scope", "noun", "quoted_count", "question"}, {"people", "scope", "noun"}),
    "compare": ({"parts", "question"}, {"parts"}),
    "place": ({"place", "within", "quote", "question"}, {"place", "within", "quote"}),
    "places": ({"places", "kind", "scope", "question"}, {"places", "kind", "scope"}),
    "abstain": ({"reason", "question"}, {"reason"}),
}


class TemplateProblem(ValueError):
    pass


class Templates:
    def __init__(self, folder: Path):
        self.env = Environment(
            loader=FileSystemLoader(str(folder)), undefined=StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, autoescape=False,
        )
        self.templates = {}
        for answer_type, (allowed, required) in TEMPLATE_VARIABLES.items():
            name = f"{answer_type}.j2"
            try:
                source = self.env.loader.get_source(self.env, name)[0]
                used = meta.find_undeclared_variables(self.env.parse(source))
            except TemplateError as exc:
                raise TemplateProblem(f"{folder / name}: {exc}") from exc
            if unknown := used - allowed:
                raise TemplateProblem(f"{folder / name} uses undefined variable(s) {sorted(unknown)}; "
                                      f"available: {sorted(allowed)}")
            if missing := required - used:
                raise TemplateProblem(f"{folder / name} never uses required variable(s) {sorted(missing)}")
            self.templates[answer_type] = self.env.get_template(name)

    def render(self, answer_type: str, **variables) -> str:
        return self.templates[answer_type].render(**variables).strip()
