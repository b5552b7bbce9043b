"""What comes in from clients: drafts of the saate, feedback, and the codes and tokens they hold."""
