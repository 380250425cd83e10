"""Use cases. Each takes the acting staff member, asks the policy, changes data
and writes its audit row in one transaction."""
