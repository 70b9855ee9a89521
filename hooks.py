def post_init_hook(env):
    """Every existing company gets the default French dunning scenario."""
    env["res.company"].search([])._debt_create_default_scenario()
