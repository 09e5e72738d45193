from vlearning.data import *  # noqa: F401,F403  (the course's flat `import data` form)
from vlearning.data import __all__  # noqa: F401
