"""How the grader reaches the layers of a student's model. Standard library only: it runs
inside the probe runner and, as source text, inside the student's kernel (Part B).

The course's public API first: `model[i]` for i < len(model) (or until IndexError), else
iteration; trusted only when the first layer is the model itself, the layers are distinct
and, where the grader built the chain, of the classes it chained, in order. Where that is
missing or disagrees, the link attribute: `next` or one of the assignment's aliases
(`next_layer`, ...), else the one attribute of a layer that holds a layer not yet seen.
"""

MAX_LAYERS = 200


def layers_of(model, links=('next',), kinds=(), expected=None):
    """(layers, how) for `model`: its layers in order and which way reached them
    ('index', 'iteration', 'link <name>' or 'none': the model alone).

    kinds: the student's layer classes (to recognise a layer held by an unknown attribute);
    expected: the classes the grader chained, in order, when it built the model itself."""
    public = []
    for how, way in (('index', _by_index), ('iteration', _by_iteration)):
        try:
            layers = way(model)
        except Exception:
            continue
        if _plausible(model, layers, expected):
            return layers, how
        public.append((layers, how))
    layers, how = _by_links(model, links, kinds)
    if len(layers) > 1 or not public:
        return layers, how
    return public[0]


def _by_index(model):
    try:
        count = len(model)
    except TypeError:
        count = None
    if count is not None:
        return [model[i] for i in range(min(count, MAX_LAYERS))]
    layers = []
    while len(layers) < MAX_LAYERS:
        try:
            layers.append(model[len(layers)])
        except IndexError:
            break
    return layers


def _by_iteration(model):
    layers = []
    for layer in model:
        layers.append(layer)
        if len(layers) >= MAX_LAYERS:
            break
    return layers


def _plausible(model, layers, expected):
    if not layers or layers[0] is not model or len({id(layer) for layer in layers}) != len(layers):
        return False
    if expected is None:
        return True
    return len(layers) == len(expected) and all(isinstance(layer, kind) for layer, kind in zip(layers, expected))


def _by_links(model, links, kinds):
    layers, layer, how = [model], model, 'none'
    while len(layers) < MAX_LAYERS:
        name, following = _link(layer, links, kinds, layers)
        if following is None:
            break
        how = f'link {name}'
        layers.append(following)
        layer = following
    return layers, how


def _link(layer, links, kinds, seen):
    """(attribute, the layer it holds) for the layer after `layer`; (None, None) at the end."""
    for name in links:
        following = getattr(layer, name, None)
        if following is not None and not callable(getattr(type(layer), name, None)):
            return (name, following) if all(following is not s for s in seen) else (None, None)
    try:
        attributes = vars(layer)
    except TypeError:
        return None, None
    held = [(name, value) for name, value in attributes.items()
            if kinds and isinstance(value, tuple(kinds)) and all(value is not s for s in seen)]
    return held[0] if len(held) == 1 else (None, None)
