"""Deploying built scripts to routers: a pure plan (diff) plus an apply step."""
