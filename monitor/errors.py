"""Exception tree, written once.

RegwatchError
├── ConfigError            invalid config.yaml: carries key path and line; CLI exit 2
├── FetchError             a request failed after retries (network, HTTP status, size cap, redirect cap)
│   ├── BlockedError       an anti-bot / WAF page answered with 200, or 403/412 walls
│   └── NetworkError       no connection could be made (DNS, refused, timeout)
├── ParseError             a saved or live page did not have the documented structure (selectors missed,
│                          zero rows on a list that must have rows, malformed JSON)
└── DeliveryError          SMTP refused or failed; carries the server's code and reply
"""

from __future__ import annotations


class RegwatchError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigError(RegwatchError):
    """Invalid configuration; `problems` lists (key, line, message)."""

    def __init__(self, problems: list[tuple[str, int | None, str]], path: str | None = None):
        self.problems = problems
        self.path = path
        super().__init__(self.render())

    def render(self) -> str:
        lines = []
        for key, line, msg in self.problems:
            where = f"{self.path or 'config'}:{line}" if line else (self.path or "config")
            lines.append(f"{where}: {key}: {msg}" if key else f"{where}: {msg}")
        return "\n".join(lines)


class FetchError(RegwatchError):
    """A request failed for good. `url` is what was requested, `status` the last HTTP status if any."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        self.url = url
        self.status = status
        super().__init__(f"{message} ({url})" if url else message)


class BlockedError(FetchError):
    """The site answered with an anti-bot or WAF page instead of content."""


class NetworkError(FetchError):
    """No answer: DNS failure, connection refused, connect/read timeout."""


class ParseError(RegwatchError):
    """The page did not have the structure the parser was written for."""

    def __init__(self, message: str, *, url: str | None = None):
        self.url = url
        super().__init__(f"{message} ({url})" if url else message)


class DeliveryError(RegwatchError):
    """A mail was not accepted. `permanent` is True for 5xx replies."""

    def __init__(self, message: str, *, code: int | None = None, permanent: bool = False):
        self.code = code
        self.permanent = permanent
        super().__init__(message)
