"""The edition: a document tailored for one target (condition, brand, variant, language)."""
