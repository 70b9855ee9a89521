from . import debt_collection_run_wizard
from . import debt_collection_penalty_wizard
from . import debt_collection_call_wizard
