"""Content: finding, reading and validating the project's files into a Project."""
