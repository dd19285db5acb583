"""The RouterOS API wire protocol, server side (the emulated router on a socket)."""
