"""Sync: this installation's identity, signed bundles, and (later) HTTP sync with the Centre."""
