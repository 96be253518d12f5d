"""Orders from holds, lifecycle, audit log."""
