"""Built-in detectors; each module registers its functions in ``rules.registry``."""
