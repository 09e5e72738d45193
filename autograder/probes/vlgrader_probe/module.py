"""The student's module as the tasks see it: names found across a flat model.py or a
package and its parts, under the course's names or the assignment's aliases, else under a
spelling that differs only in case and underscores (`hard_elish` for `hardelish`)."""
import importlib
import inspect
import pkgutil

from .chain import layers_of
from .encoding import HarnessError, describe_error

__all__ = ['Module', 'Resolver', 'spelling']


SUBMODULES = ('activation_functions', 'loss_functions', 'layers', 'model', 'neurons',
              'neuron', 'functions', 'activations', 'losses')


def spelling(name):
    """A name without case and underscores: `hard_elish`, `HardElish` and `hardelish` agree."""
    return name.replace('_', '').casefold()


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

    def find_spelled(self, name):
        """(the module's name, its value) for a public name spelled like `name` but for case
        and underscores, when exactly one such name exists; else (None, None)."""
        wanted = spelling(name)
        matches = [n for n in self.public_names() if spelling(n) == wanted and callable(self.find(n))]
        if len(matches) == 1:
            return matches[0], self.find(matches[0])
        return None, None

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
        via, value = self.lookup(name)
        if value is None:
            raise HarnessError('missing-name', name=name)
        return value

    def lookup(self, name):
        """(the name the module uses, the value) for the course's `name`: itself, an alias, or
        one of these spelled otherwise only in case and underscores; (None, None) if absent."""
        candidates = [name, *self.aliases.get(name, [])]
        for candidate in candidates:
            value = self.module.find(candidate)
            if value is not None:
                return candidate, value
        for candidate in candidates:
            via, value = self.module.find_spelled(candidate)
            if value is not None:
                return via, value
        return None, None

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
