"""What leaves the workspace: reports and the static site. Everything here is public-only and scrubbed."""
