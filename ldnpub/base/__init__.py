"""The ground floor: errors, the clock, safe file reading and writing, external tools, papers and variants, fonts."""
