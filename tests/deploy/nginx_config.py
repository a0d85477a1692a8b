"""nginx.conf read as nginx reads it: a tree of directives and blocks, refusing unbalanced
braces and unterminated directives (nginx itself is not installed where the tests run)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list[Directive] | None = None

    def find(self, name: str) -> list[Directive]:
        return find_directives(self.block or [], name)


_NGINX_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'|#[^\n]*|[{};]|[^\s{};\"'#]+")


def parse_nginx(text: str) -> list[Directive]:
    """The directive tree; ValueError on unbalanced braces or an unterminated directive."""
    tokens = [t for t in _NGINX_TOKEN.findall(text) if not t.startswith("#")]
    stack: list[list[Directive]] = [[]]
    words: list[str] = []
    for token in tokens:
        if token == ";":
            if not words:
                raise ValueError("empty directive before ';'")
            stack[-1].append(Directive(words[0], words[1:]))
            words = []
        elif token == "{":
            if not words:
                raise ValueError("block without a directive name")
            block: list[Directive] = []
            stack[-1].append(Directive(words[0], words[1:], block))
            stack.append(block)
            words = []
        elif token == "}":
            if words or len(stack) == 1:
                raise ValueError(f"unexpected '}}' after {words or 'nothing open'}")
            stack.pop()
        else:
            words.append(token.strip("\"'") if token[0] in "\"'" else token)
    if words or len(stack) != 1:
        raise ValueError("unterminated directive or unclosed block at the end")
    return stack[0]


def find_directives(tree: list[Directive], name: str) -> list[Directive]:
    found: list[Directive] = []
    for directive in tree:
        if directive.name == name:
            found.append(directive)
        found.extend(find_directives(directive.block or [], name))
    return found
