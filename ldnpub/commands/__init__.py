"""The commands on top: the CLI, watch, preview, doctor, init, translations."""
