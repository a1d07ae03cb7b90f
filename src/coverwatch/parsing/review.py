"""Confidence per field, and the paths that need a person's look (`needs_review`)."""

from __future__ import annotations

from coverwatch.parsing.values import REVIEW_THRESHOLD


class Review:
    """Collects each field's confidence and the paths that need a person's look."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.reasons: dict[str, str] = {}
        self.lowest = 1.0

    def note(self, path: str, confidence: float, *, reason: str | None = None) -> None:
        """Record a field's confidence; below the threshold its path goes to needs_review."""
        self.lowest = min(self.lowest, confidence)
        if confidence < REVIEW_THRESHOLD and path not in self.paths:
            self.paths.append(path)
            self.reasons[path] = reason or (
                f"read with {confidence:.0%} confidence (below {REVIEW_THRESHOLD:.0%})"
            )

    def doubt(self, path: str, confidence: float = 0.5) -> None:
        """Flag a path whatever its value."""
        self.note(
            path,
            min(confidence, REVIEW_THRESHOLD - 0.01),
            reason="the form is unclear or contradictory here",
        )

    def explanations(self) -> list[str]:
        """One line per flagged path saying why, for the certificate's warnings."""
        return [f"needs review {path}: {self.reasons[path]}" for path in self.paths]
