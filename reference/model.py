from vlearning.model import *  # noqa: F401,F403  (the course's flat `import model` form)
from vlearning.model import __all__  # noqa: F401
