"""Autograder for the course's neural-network assignments."""
from vlearning import __version__

__all__ = ['__version__']
