"""One module per kind of request. Each task has `start(turn)` (look things up, ask for details or
a confirmation) and confirmations `do_<kind>(turn)` that make the change the customer agreed to."""
