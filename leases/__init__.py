"""Leases for background work: a job row held by one worker while it runs, renewed by a heartbeat,
taken back when the heartbeat stops (a killed worker, a lost machine). Generic: it knows a model's
lease fields (`leases.models.Leased`), never what a job does; each kind of job says what becomes of
its expired leases (`leases.reaping.register`)."""
