"""The course's plots: scatter, graph, curve, letters, gestures, confusion.

matplotlib is imported inside each function, so importing the data module stays cheap and
the loaders and generators work without it. Every plot ends with plt.show(): inline in a
notebook, a window on a desktop, and nothing at all under the non-interactive backend that
is picked when nobody chose a backend and there is no display (a headless grader).
"""
import math
import os
import sys
import warnings

__all__ = ['scatter', 'graph', 'curve', 'letters', 'gestures', 'confusion',
           'LETTERS', 'GESTURES']

LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
GESTURES = 'ABCDEFGHIKLMNOPQRSTUVWXY'  # sign-language letters without the motion signs J, Z
SIDE = 12


def _has_display():
    if sys.platform in ('win32', 'darwin'):
        return True
    return bool(os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY'))


def _backend_chosen(matplotlib):
    """True when a user, a notebook (%matplotlib inline sets it) or MPLBACKEND chose one."""
    if 'matplotlib.pyplot' in sys.modules or os.environ.get('MPLBACKEND'):
        return True
    get = getattr(matplotlib.rcParams, '_get_backend_or_none', None)
    return get is None or get() is not None


def _pyplot():
    """matplotlib.pyplot, switched to Agg only when no backend was chosen and no display."""
    import matplotlib
    if not _backend_chosen(matplotlib) and not _has_display():
        matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def _as_list(value):
    """A model's output or a target as a list: [y] for a plain number, list(y) for a row."""
    try:
        return [float(v) for v in value]
    except TypeError:
        return [float(value)]


def _argmax(values):
    return max(range(len(values)), key=values.__getitem__)


def _background(model, grid):
    """Model output over the grid, rows along x₂: a list (per output) of 2-D lists.

    Prefers predict_proba (mapped to 1 − 2·P(first class) ∈ [−1, 1]) and
    decision_function when a model has them, as scikit-learn models do.
    """
    if hasattr(model, 'predict_proba'):
        def value(x1, x2):
            return [1.0 - 2.0 * model.predict_proba([[x1, x2]])[0][0]]
    elif hasattr(model, 'decision_function'):
        def value(x1, x2):
            return model.decision_function([[x1, x2]])[0]
    else:
        def value(x1, x2):
            return model.predict([[x1, x2]])[0]
    rows = [[_as_list(value(x1, x2)) for x1 in grid] for x2 in grid]
    return [[[v[n] for v in row] for row in rows] for n in range(len(rows[0][0]))]


def scatter(xs, ys, *, model=None):
    """Plots data according to true and modeled outcomes.

    One panel per output; points coloured by y. With a model, the background shows its
    output on a 129×129 grid, with a dashed contour where it crosses zero (the decision
    boundary of ±1 classifiers). Flat ys (one number per instance) are wrapped.
    """
    plt = _pyplot()
    ys = [_as_list(y) for y in ys]          # flat ys (one number per instance) are wrapped
    x1s = [x[0] for x in xs]
    x2s = [x[1] for x in xs]
    xlimit = math.ceil(1.05 * max(max(map(abs, x1s)), max(map(abs, x2s)))) or 1
    grid = [i / 64.0 * xlimit for i in range(-64, 65)]
    back = None if model is None else _background(model, grid)
    outputs = len(ys[0])
    fig, axs = plt.subplots(1, outputs, figsize=(6.4 * outputs, 4.8), squeeze=False)
    for n, ax in enumerate(axs[0]):
        yns = [y[n] for y in ys]
        ylimit = math.ceil(max(map(abs, yns))) or 1
        dots = ax.scatter(x1s, x2s, c=yns, edgecolors='w', cmap='RdYlBu',
                          vmin=-ylimit, vmax=ylimit)
        if back is None:
            ax.set_facecolor('#F8F8F8')
        else:
            ax.imshow(back[n], origin='lower', extent=(-xlimit, xlimit, -xlimit, xlimit),
                      vmin=-ylimit, vmax=ylimit, interpolation='bilinear', cmap='RdYlBu')
            with warnings.catch_warnings():  # a model that never crosses zero has no contour
                warnings.simplefilter('ignore')
                ax.contour(grid, grid, back[n], levels=[0.0], colors='k', linestyles='--',
                           linewidths=1.0)
        ax.set_aspect('equal', 'box')
        ax.axis([-xlimit, xlimit, -xlimit, xlimit])
        ax.grid(True, color='k', linestyle=':', linewidth=0.5)
        ax.axhline(y=0, color='k', linestyle='-', linewidth=1.0)
        ax.axvline(x=0, color='k', linestyle='-', linewidth=1.0)
        ax.set_axisbelow(True)
        ax.set_xlabel(r'$x_1$')
        ax.set_ylabel(r'$x_2$')
        bar = fig.colorbar(dots, ax=ax).ax
        bar.axhline(y=0.0, color='k', linestyle='--', linewidth=1.0)
        bar.set_title(r'$y$' if outputs == 1 else f'$y_{{{n + 1}}}$')
    plt.show()


def graph(funcs, *args, xlim=(-3.0, 3.0)):
    """Plots the graph of one or more functions over 257 points, f(x, *args).

    The legend shows each function's __name__; the y-range is at least [−1, 1] and is
    widened to whole numbers around the values.
    """
    plt = _pyplot()
    if callable(funcs):
        funcs = [funcs]
    xs = [xlim[0] + i * (xlim[1] - xlim[0]) / 256.0 for i in range(257)]
    ymin, ymax = -1.0, 1.0
    colors = plt.rcParams['axes.prop_cycle'].by_key()['color']
    plt.figure()
    plt.subplot(1, 1, 1, facecolor='#F8F8F8')
    for n, func in enumerate(funcs):
        ys = [func(x, *args) for x in xs]
        finite = [y for y in ys if math.isfinite(y)]
        if finite:
            ymin = min(ymin, math.floor(min(finite)))
            ymax = max(ymax, math.ceil(max(finite)))
        plt.plot(xs, ys, color=colors[n % len(colors)], linewidth=3.0,
                 label=getattr(func, '__name__', repr(func)))
    plt.axis([xlim[0], xlim[1], ymin, ymax])
    plt.legend()
    plt.grid(True, color='k', linestyle=':', linewidth=0.5)
    plt.axhline(y=0, color='k', linestyle='-', linewidth=1.0)
    plt.axvline(x=0, color='k', linestyle='-', linewidth=1.0)
    plt.xlabel(r'$x$')
    plt.ylabel(r'$f(x)$')
    plt.show()


def curve(series):
    """Plots every series of a history dict (keys sorted), e.g. fit()'s loss and val_loss.

    Epoch n's value sits at x = n + 0.5 (it is an average over the epoch); dashed lines
    mark each series' minimum and maximum.
    """
    plt = _pyplot()
    xmax = 1
    colors = plt.rcParams['axes.prop_cycle'].by_key()['color']
    plt.figure()
    for n, label in enumerate(sorted(series)):
        values = series[label]
        color = colors[n % len(colors)]
        xmax = max(xmax, len(values))
        plt.plot([x + 0.5 for x in range(len(values))], values, color=color, linewidth=3.0,
                 label=label)
        if values:
            plt.axhline(y=min(values), color=color, linewidth=1.0, linestyle='--')
            plt.axhline(y=max(values), color=color, linewidth=1.0, linestyle='--')
    plt.xlim([0, xmax])
    plt.legend()
    plt.grid(True, color='k', linestyle=':', linewidth=0.5)
    plt.axhline(y=0, color='k', linestyle='-', linewidth=1.0)
    plt.xlabel(r'$n$')
    plt.ylabel(r'$y$')
    plt.show()


def _images(xs, ys, model, names):
    """A row of 12×12 images titled `true→predicted` (argmax of model.predict([x])[0])."""
    if not xs:
        raise ValueError('no images to show')
    plt = _pyplot()
    count = len(xs)
    _, axs = plt.subplots(1, count, figsize=(0.8 * count, 0.8), squeeze=False)
    for x, y, ax in zip(xs, ys, axs[0]):
        paint = [[x[c + SIDE * r] for c in range(SIDE)] for r in range(SIDE)]
        ax.imshow(paint, extent=(0.0, 1.0, 0.0, 1.0), vmin=0.0, vmax=1.0, cmap='binary')
        ax.set_aspect('equal', 'box')
        ax.axis('off')
        title = names[_argmax(y)]
        if model is not None:
            title += '→' + names[_argmax(model.predict([x])[0])]
        ax.set_title(title)
    plt.show()


def letters(xs, ys, model=None):
    """Shows 12x12 EMNIST letters with true (and, given a model, predicted) labels."""
    _images(xs, ys, model, LETTERS)


def gestures(xs, ys, model=None):
    """Shows 12x12 Sign-MNIST gestures with true (and, given a model, predicted) labels."""
    _images(xs, ys, model, GESTURES)


def confusion(xs, ys, model):
    """Shows the confusion matrix of a classifier on (xs, ys), titled with its accuracy.

    Rows are the true classes y, columns the predicted ŷ (argmax of model.predict(xs));
    accuracy = (trace of the matrix) / N. The colour scale is logarithmic, so the rare
    mistakes stay visible next to the diagonal; empty cells stay white.
    """
    if not xs:
        raise ValueError('no instances to evaluate')
    from matplotlib.colors import LogNorm
    plt = _pyplot()
    classes = len(ys[0])
    names = {26: LETTERS, 24: GESTURES}.get(classes) or [str(i) for i in range(classes)]
    matrix = [[0] * classes for _ in range(classes)]
    for y, yhat in zip(ys, model.predict(xs)):
        matrix[_argmax(y)][_argmax(yhat)] += 1
    accuracy = sum(matrix[i][i] for i in range(classes)) / len(xs)
    plt.figure()
    masked = [[count if count else float('nan') for count in row] for row in matrix]
    plt.imshow(masked, norm=LogNorm(vmin=1, vmax=max(2, max(map(max, matrix)))), cmap='Blues',
               origin='lower')
    plt.title(f'Accuracy = {accuracy * 100.0:.1f}%')
    plt.xlabel(r'$\hat{y}$')
    plt.ylabel(r'$y$')
    plt.xticks(range(classes), names)
    plt.yticks(range(classes), names)
    plt.grid(False)
    plt.colorbar()
    plt.show()
