"""Case work: the workflow, the queue, its words, the access log, notices, retention,
working days."""
