"""Layer 4, pipeline: the configuration and the check that turns files into findings
(load -> schema -> references -> model -> rules -> waivers), its result cache and baselines."""
