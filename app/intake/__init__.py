"""What comes in from clients before it is a case: drafts of the saate, and feedback."""
