"""One module per check; each is named after what it checks.

TITLES is the one place a check's title is written: the checks use it, and so does the
grader for a check it could not run (skipped, or an error before it was reached).
"""

TITLES = {
    'submission.files': 'The hand-in holds the module, the notebook and its HTML export',
    'static.imports': 'The module imports only the Python standard library',
    'static.notebook-format': 'The notebook is a valid Jupyter notebook with its outputs cleared',
    'static.locked-cells': 'The locked cells ("Verander deze cel niet") are unchanged',
    'activations.table': 'Activation functions: the table of Deel A',
    'activations.hidden': 'Activation functions at hidden probe points',
    'derivative': 'derivative(): central difference with a primed name',
    'losses.table': 'Loss functions: the table of Deel A',
    'losses.hidden': 'Loss functions at hidden probe points',
    'neuron.perceptron': 'Perceptron: converges on separable data',
    'neuron.svm': 'Neuron with hinge loss (support vector machine)',
    'neuron.logistic': 'Neuron with sigmoid and binary cross-entropy (logistic regression)',
    'neuron.linear-regression': 'LinearRegression: fits a noisy plane',
    'layers.api': 'Layers: names, chaining, indexing, reprs and initialisation',
    'layers.gradients': 'Backpropagation: gs of every layer type against finite differences',
    'layers.updates': 'DenseLayer updates: bₒ −= (α/N)·Σₙ qₙₒ and wₒᵢ −= (α/N)·Σₙ qₙₒ·xₙᵢ',
    'layers.training': 'Training: fit, predict, evaluate and partial_fit',
    'notebook.runs': 'The notebook runs top to bottom without errors',
    'partb.activation': 'Deel B uses ELiSH or HardELiSH',
    'partb.time': 'Deel B: the graded run stays within the time limit (normalised)',
    'partb.accuracy': 'Deel B accuracy on the hidden test set',
    'partb.overfitting': 'Deel B does not visibly overfit',
}
