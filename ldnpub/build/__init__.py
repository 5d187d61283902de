"""Building: plan the targets, render them (cached, in workers), write the outputs and the manifest."""
