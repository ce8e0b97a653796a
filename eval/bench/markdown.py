"""Formatting for the report: numbers, markdown tables, verdicts."""
from __future__ import annotations


def fmt(x, digits: int | None = None) -> str:
    """Floats with 3 decimals below 1, 2 below 100, 1 above; thousands separated."""
    if x is None:
        return "–"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, float):
        digits = digits if digits is not None else 3 if abs(x) < 1 else 2 if abs(x) < 100 else 1
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(fmt(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def p(d: dict | None, key: str = "p50"):
    return (d or {}).get(key)


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("✅ met" if ok else "❌ missed")
