"""The student's module as the tasks see it: names found across a flat model.py or a
package and its parts, under the course's names or the assignment's aliases."""
import importlib
import inspect
import pkgutil

from .chain import layers_of
from .encoding import HarnessError, describe_error

__all__ = ['Module', 'Resolver']


SUBMODULES = ('activation_functions', 'loss_functions', 'layers', 'model', 'neurons',
              'neuron', 'functions', 'activations', 'losses')


class Module:
    """Name lookup across the student's module: a flat model.py or a package and its parts."""

    def __init__(self, kind, package_name):
        self.kind = kind
        self.namespaces = []
        root = importlib.import_module('model' if kind == 'flat' else package_name)
        self.root = root
        self.namespaces.append(root)
        if kind == 'package':
            names = list(SUBMODULES)
            for info in pkgutil.iter_modules(getattr(root, '__path__', [])):
                if info.name not in names and info.name != 'data':
                    names.append(info.name)
            self.submodule_errors = {}
            for name in names:
                try:
                    self.namespaces.append(importlib.import_module(f'{package_name}.{name}'))
                except ModuleNotFoundError as error:
                    if error.name != f'{package_name}.{name}':
                        self.submodule_errors[name] = describe_error(error)
                except Exception as error:
                    self.submodule_errors[name] = describe_error(error)

    def find(self, name):
        for namespace in self.namespaces:
            value = getattr(namespace, name, None)
            if value is not None:
                return value
        return None

    def public_names(self):
        names = set()
        for namespace in self.namespaces:
            names.update(n for n in vars(namespace) if not n.startswith('_'))
        return sorted(names)


class Resolver:
    """Find the names the tasks use, following the assignment's aliases: of classes
    (`Dense` for DenseLayer) and of attributes (`biases` for bias, `next_layer` for next)."""

    def __init__(self, module, aliases, attribute_aliases=None, layer_classes=()):
        self.module, self.aliases = module, aliases
        self.attribute_aliases = attribute_aliases or {}
        self.layer_classes = layer_classes           # the course's layer classes, by name

    def __call__(self, name):
        for candidate in [name, *self.aliases.get(name, [])]:
            value = self.module.find(candidate)
            if value is not None:
                return value
        raise HarnessError('missing-name', name=name)

    def names_of(self, attribute):
        return [attribute, *self.attribute_aliases.get(attribute, [])]

    def attribute(self, obj, attribute):
        """(name, value) of the attribute the course calls `attribute`, under any alias."""
        for name in self.names_of(attribute):
            value = getattr(obj, name, None)
            if value is not None:
                return name, value
        return attribute, None

    def layer_kinds(self):
        kinds = []
        for name in self.layer_classes:
            try:
                kind = self(name)
            except HarnessError:
                continue
            if inspect.isclass(kind):
                kinds.append(kind)
        return kinds

    def layers(self, net, spec=None):
        """The layers of a chain, reached as chain.layers_of does; `spec`: what was chained."""
        expected = None
        if spec is not None:
            try:
                expected = [self(item['class']) for item in spec]
            except HarnessError:
                expected = None
        return layers_of(net, self.names_of('next'), self.layer_kinds(), expected)[0]

    def layer_at(self, net, position, spec):
        layers = self.layers(net, spec)
        if position >= len(layers):
            raise HarnessError('unreachable-layer', position=position, cls=spec[position]['class'],
                               links=', '.join(self.names_of('next')))
        return layers[position]
