"""Calibration of the Sign-MNIST-mini stand-in against the course's real file.

The same measurements as bench/calibrate_standin.py (whose code this uses), for the 24
sign-language letters: the stand-in is calibrated when each pair agrees within 3
percentage points.

- softmax regression 144→24 (weights 0), minibatch SGD with the course's update:
  α=0.5 for 15 epochs, then α=0.1 for 5 epochs, batches of 100 (a single α=0.5 phase
  ends anywhere between 69 and 78 % on the real file, run to run; the closing phase at
  α=0.1 makes a run's result reproducible to about ±1 point);
- an MLP 144-96-48-24, NIPUNA (β=1), softmax + cross-entropy, Xavier-uniform,
  fit(α=0.1, 10 epochs, batch 100) then fit(α=0.05, 5 epochs, batch 100) (at α=0.25 the
  real file's runs end anywhere between 72 and 96 %; trained to convergence, 30 epochs,
  both files reach about 99 %, which says nothing);
both on 30,240 training and 3,360 test instances (90/10) of
`sign_mnist_mini(file, 33600, seed)`, numpy replicas of the reference's arithmetic;
- the notebook's warm-up dummy model, Input(144)+Dense(24)+linear activation+MSE,
  fit(α=0.01, 3 epochs, batch 1) on 300 instances, tested on 300, run with the reference
  vlearning itself and averaged over the runs.

Usage: python bench/calibrate_standin_signs.py [--real PATH] [--standin PATH] [--runs N]
       [--dummy-runs N] [--params JSON] [--activation elish|nipuna] [--skip-real]
Without --standin the cached stand-in (standin_signs.ensure_standin(0)) is used.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibrate_standin as calibrate  # noqa: E402
from vlearning.data import sign_mnist_mini, standin_signs  # noqa: E402

SIGNS = calibrate.Target('Sign_MNIST_mini', calibrate.DATA / 'Sign_MNIST_mini.dat',
                         sign_mnist_mini, standin_signs, 24, 30_240, 3_360,
                         (144, 96, 48, 24), ((0.1, 10, 100), (0.05, 5, 100)), 'nipuna',
                         ((0.5, 15, 100), (0.1, 5, 100)))

if __name__ == '__main__':
    calibrate.main(SIGNS, __doc__)
