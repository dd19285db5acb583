"""A reproducible population of users for long scenarios (tests and benchmarks): packages, usage, discounts, faults."""

from __future__ import annotations

import datetime as dt
from typing import Any

PACKAGES = [("Lite", 3000), ("Home", 50_000), ("Business", 200_000), ("Unlimited", 0)]


def population(count: int, start: dt.datetime, interim: str = "5m") -> dict[str, Any]:
    """``count`` users; every 10th has a special case (discount, long session, broken data, disabled...)."""
    users = []
    for i in range(count):
        name = f"u{i:03d}"
        package, cap_mb = PACKAGES[i % 4]
        # daily usage as a share of the cap spread so that users cross different levels
        share = [20, 45, 70, 95, 110, 150][i % 6]  # percent of the cap per 30 days
        daily_mb = max(1, cap_mb * share // 100 // 30) if cap_mb else 2000 + 37 * i
        comment = f"rb{{email={name}@example.net;first=User;last=N{i}}}"
        entry: dict[str, Any] = {
            "name": name,
            "package": package,
            "email": f"{name}@example.net",
            "first-name": "User",
            "last-name": f"N{i}",
            "daily": {
                "download": f"{daily_mb * 9 // 10}MB",
                "upload": f"{daily_mb - daily_mb * 9 // 10}MB",
                "from": "06:00",
                "to": "22:00",
            },
        }
        special = i % 10
        if special == 1:
            comment = comment.replace("rb{", "rb{disc=10%;")
        elif special == 3:
            comment = comment.replace("rb{", "rb{disc=25.50;")
        elif special == 5:  # always online: one session through every month end
            del entry["daily"]
            entry["sessions"] = [
                {
                    "start": start.strftime("%Y-%m-%d 00:30:00"),
                    "download-per-day": f"{max(daily_mb, 50)}MB",
                    "upload-per-day": "5MB",
                }
            ]
            entry["interim"] = interim
        elif special == 7 and i % 20 == 7:
            comment = comment.replace("rb{", "rb{inv=x1;")  # broken: never billed, always reported
        elif special == 9 and i % 30 == 9:
            entry["disabled"] = True
        entry["comment"] = comment
        users.append(entry)
    return {
        "router": {"start": start.strftime("%Y-%m-%d %H:%M:%S"), "time-zone": "manual"},
        "accounting": {"interim": interim, "latency": "2s"},
        "e-mail": {"server": "192.0.2.25", "port": 587, "tls": "no", "from": "billing@example.net"},
        "profiles": [{"name": p} for p, _ in PACKAGES],
        "users": users,
    }
