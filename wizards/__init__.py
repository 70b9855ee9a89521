from . import debt_collection_run_wizard
from . import debt_collection_penalty_wizard
from . import debt_collection_call_wizard
from . import debt_collection_payment_plan_wizard
from . import debt_collection_handoff_wizard
from . import debt_collection_case_outcome_wizard

from . import debt_collection_letter_delivery_wizard
from . import debt_collection_aged_balance
from . import debt_collection_dashboard
