"""Staff: accounts, sign-in, permissions and the audit log."""
