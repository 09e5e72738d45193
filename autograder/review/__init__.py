"""Review flags: what an instructor should look at, with its evidence. Never a score."""
from .flags import FLAG_TITLES, review_flags

__all__ = ['FLAG_TITLES', 'review_flags']
