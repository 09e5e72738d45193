"""What the runner says when it cannot use the module as the course's API offers, and how it
adapted to a module written differently: English templates with named fields, by code.

The runner sends the code and the fields; the grader shows the template in the student's
language (autograder/i18n translates these, marked N_ for its catalogue)."""
__all__ = ['HARNESS', 'NOTES', 'N_']


def N_(message):
    """Marks a message for the grader's catalogue (the runner itself speaks English)."""
    return message


HARNESS = {
    'missing-name': N_("the module has no '{name}'"),
    'signature': N_('the grader called {call} as the course does, but its signature {name}{signature} does not '
                    'take that call ({error})'),
    'no-method': N_("{cls} has no method {method}() (the course's API has it)"),
    'unreachable-layer': N_('the grader could not reach layer {position} ({cls}) of the chain it built with +: '
                            'model[{position}] did not give it, and no attribute links the layers (looked for '
                            '{links})'),
    'no-parameters': N_('the DenseLayer at position {position} has no bias and weights the grader can read '
                        '(looked for {bias} and {weights})'),
}

NOTES = {
    'standin': N_("the module has no '{name}' (charged once, in its function table): the grader built its "
                  'models with the course\'s formula for {name} instead, so the rest is judged on its own'),
    'keyword-only-alpha': N_("alpha keyword-only in the layers' __call__{signature}: the grader passed it by keyword. "
                             'The course writes layer(xs, ys, alpha); a notebook cell calling a layer that way '
                             'would fail'),
    'keyword-only-ys': N_("ys keyword-only in the layers' __call__{signature}: the grader passed it by keyword. "
                          'The course writes layer(xs, ys, alpha); a notebook cell calling a layer that way '
                          'would fail'),
    'keyword-only-both': N_("ys and alpha keyword-only in the layers' __call__{signature}: the grader passed them "
                            'by keyword. The course writes layer(xs, ys, alpha); a notebook cell calling a layer '
                            'that way would fail'),
}
