from . import debt_collection_run_wizard
