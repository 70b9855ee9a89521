from . import test_escalation
from . import test_disputes_promises
from . import test_letters
from . import test_analytics
