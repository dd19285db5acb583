"""rosbill: builds, lints, emulates and deploys User Manager billing scripts for MikroTik RouterOS."""

__version__ = "0.1.0"
