from typing import NamedTuple


class StoryListing(NamedTuple):
    """An admin list of stories as one person may see it: those they may open, and the
    rest only as a number (never a headline they may not read)."""

    shown: list
    hidden: int = 0

    @property
    def hidden_text(self):
        if not self.hidden:
            return ""
        return f"{self.hidden} {'story' if self.hidden == 1 else 'stories'} you cannot see"
