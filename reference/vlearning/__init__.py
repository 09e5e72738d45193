"""vlearning: the course's neural-network module, from scratch in standard-library Python.

Laid out as the assignment imports it (`vlearning.activation_functions`, `.loss_functions`,
`.layers`, `.data`); `vlearning.model` holds every name in the flat form of the teacher's
`import model`.
"""
__version__ = '0.7.0'

from . import activation_functions, layers, loss_functions
from .calculus import derivative
from .loss_functions import pseudo_log
from .neurons import LinearRegression, Neuron, Perceptron

__all__ = ['activation_functions', 'loss_functions', 'layers', 'Perceptron', 'LinearRegression',
           'Neuron', 'derivative', 'pseudo_log', '__version__']
