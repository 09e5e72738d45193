"""Calling student code the way the course writes the calls; a call its signature cannot
take is the grader's HarnessError (naming the call and the signature), never retried."""
import inspect

from .encoding import HarnessError

__all__ = ['NOTES', 'note', 'signature_of', 'invoke', 'call_layer', 'method_of']


NOTES = {}      # what the grader had to adapt to in the current task (no penalty): key → text


def note(code, **params):
    """Record one note per kind of adaptation (texts.NOTES[code], filled with params)."""
    from .texts import NOTES as TEMPLATES
    if code not in NOTES and len(NOTES) < 10:
        params = {k: str(v)[:300] for k, v in params.items()}
        NOTES[code] = {'code': code, 'params': params, 'text': TEMPLATES[code].format(**params)}


def signature_of(function):
    try:
        return inspect.signature(function)
    except (TypeError, ValueError):
        return None


def invoke(function, name, /, *args, **kwargs):
    """Call student code as the course writes the call. A call its signature cannot take is
    the grader's HarnessError, saying which call and which signature; it is never retried."""
    signature = signature_of(function)
    if signature is not None:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as error:
            shown = ', '.join([*('…' for _ in args), *(f'{k}=…' for k in kwargs)])
            raise HarnessError('signature', call=f'{name}({shown})', name=name, signature=signature,
                               error=error) from None
    return function(*args, **kwargs)


def call_layer(layer, xs, ys=None, alpha=None):
    """The course's protocol, written as the course writes it: layer(xs, ys, alpha). Where the
    signature makes ys or alpha keyword-only, by keyword (noted, no penalty)."""
    args = [xs] + ([ys, alpha] if alpha is not None else [ys] if ys is not None else [])
    name = f'{type(layer).__name__}.__call__'
    signature = signature_of(layer)
    if signature is not None and len(args) > 1:
        keyword_only = [n for n in ('ys', 'alpha')[:len(args) - 1]
                        if n in signature.parameters
                        and signature.parameters[n].kind is inspect.Parameter.KEYWORD_ONLY]
        if keyword_only:
            given = dict(zip(('ys', 'alpha'), args[1:]))
            positional = [xs] + [given[n] for n in ('ys', 'alpha') if n in given and n not in keyword_only]
            note('keyword-only-both' if len(keyword_only) > 1 else f'keyword-only-{keyword_only[0]}',
                 signature=signature)
            return invoke(layer, name, *positional, **{n: given[n] for n in keyword_only})
    return invoke(layer, name, *args)


def method_of(obj, name):
    method = getattr(obj, name, None)
    if not callable(method):
        raise HarnessError('no-method', cls=type(obj).__name__, method=name)
    return method
