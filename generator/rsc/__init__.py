"""RouterOS script syntax: a thin adapter over the routeros-lsp parser tree (used by the emulator)."""
