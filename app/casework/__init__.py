"""Case work: the workflow, the queue, its words, the access log, notices to the team and
the status link to the client, retention."""
