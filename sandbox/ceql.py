"""A small CEQL (the platform's `where` language) for the sandbox's resource lists.

`firstName = 'Ada' AND (city LIKE 'Ber%' OR employees >= 100) AND phone IS NOT NULL`
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .api import ApiError

TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)|(?P<op><=|>=|!=|<>|=|<|>)"
    r"|(?P<paren>[(),])|(?P<word>[A-Za-z_][\w.]*))"
)
Predicate = Callable[[dict], bool]


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ApiError(400, f"Invalid where clause near '{text[position:position + 20]}'.")
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "string":
            value = value[1:-1].replace("''", "'")
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0

    def peek_word(self) -> str:
        if self.i < len(self.tokens) and self.tokens[self.i][0] == "word":
            return self.tokens[self.i][1].upper()
        return ""

    def take(self, kind: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.tokens):
            raise ApiError(400, "Invalid where clause: it ends too soon.")
        token = self.tokens[self.i]
        if kind and token[0] != kind:
            raise ApiError(400, f"Invalid where clause near '{token[1]}'.")
        self.i += 1
        return token

    def parse(self) -> Predicate:
        predicate = self.disjunction()
        if self.i != len(self.tokens):
            raise ApiError(400, f"Invalid where clause near '{self.tokens[self.i][1]}'.")
        return predicate

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.peek_word() == "OR":
            self.i += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda r: any(p(r) for p in parts))

    def conjunction(self) -> Predicate:
        parts = [self.term()]
        while self.peek_word() == "AND":
            self.i += 1
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else (lambda r: all(p(r) for p in parts))

    def literal(self):
        kind, value = self.take()
        if kind == "string":
            return value
        if kind == "number":
            return float(value)
        if kind == "word" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ApiError(400, f"Invalid where clause: expected a value, found '{value}'.")

    def term(self) -> Predicate:
        if self.i < len(self.tokens) and self.tokens[self.i] == ("paren", "("):
            self.i += 1
            inner = self.disjunction()
            if self.take("paren")[1] != ")":
                raise ApiError(400, "Invalid where clause: a parenthesis is not closed.")
            return inner
        field = self.take("word")[1]
        word = self.peek_word()
        if word == "IS":
            self.i += 1
            negate = self.peek_word() == "NOT"
            if negate:
                self.i += 1
            if self.peek_word() != "NULL":
                raise ApiError(400, "Invalid where clause: expected NULL after IS.")
            self.i += 1
            return lambda r: (r.get(field) is None) != negate
        if word == "LIKE":
            self.i += 1
            pattern = str(self.literal())
            regex = re.compile(
                "^" + ".*".join(re.escape(p) for p in pattern.split("%")) + "$", re.IGNORECASE
            )
            return lambda r: r.get(field) is not None and bool(regex.match(str(r.get(field))))
        if word == "IN":
            self.i += 1
            if self.take("paren")[1] != "(":
                raise ApiError(400, "Invalid where clause: IN needs a list in parentheses.")
            values = [self.literal()]
            while self.take("paren")[1] == ",":
                values.append(self.literal())
            return lambda r: any(_equal(r.get(field), v) for v in values)
        op = self.take("op")[1]
        value = self.literal()
        return lambda r: _compare(r.get(field), op, value)


def _equal(left, right) -> bool:
    if isinstance(right, float) and isinstance(left, (int, float)) and not isinstance(left, bool):
        return float(left) == right
    return str(left).lower() == str(right).lower() if left is not None else False


def _compare(left, op: str, right) -> bool:
    if op in ("=", "!=", "<>"):
        return _equal(left, right) == (op == "=")
    if left is None:
        return False
    try:
        if isinstance(right, float):
            left = float(left)
        else:
            left = str(left)
        return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
    except (TypeError, ValueError):
        return False


def where_filter(text: str) -> Predicate:
    return _Parser(text).parse()
