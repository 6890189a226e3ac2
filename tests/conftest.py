"""Every test process hashes personal data under a test key (a build without one refuses to run),
and the hypothesis suites (marker `fuzz`) share two profiles chosen by HYPOTHESIS_PROFILE:
`ci` (the default: small, derandomised, part of `make test`) and `long` (`make fuzz`: 10,000
examples per property)."""

import os

from hypothesis import HealthCheck, settings

os.environ.setdefault("TUOKE_PII_KEY", "tuoke-test-pii-key-0123456789abcdef")

# deadline off in both: a shared 2-core machine makes single examples slow now and then
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("long", max_examples=10_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
