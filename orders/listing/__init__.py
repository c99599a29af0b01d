"""The order list subsystem: a request parsed once into a ListSpec (spec.py), the filters' searches'
facts (matches.py), a pure choice of plan (plan.py), the database-specific strategies (dialects.py),
the reads that carry a plan out (reads.py), and the one entry point every list goes through
(order_list.py: OrderList). See ARCHITECTURE.md for a list request's data flow."""
