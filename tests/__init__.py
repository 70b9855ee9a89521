from . import test_escalation
from . import test_disputes_promises
from . import test_letters
from . import test_analytics
from . import test_cases
from . import test_robustness
from . import test_concurrency
from . import test_stories
