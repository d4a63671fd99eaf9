"""Licence reclaim: plans from an audit, live re-checks, journaled and undoable writes.

Modules: ``actions`` (what each action sends and needs), ``plan`` (build,
store, file), ``guards`` (who is never touched, what must not have moved),
``live`` (live state, idempotence), ``apply``, ``undo``, ``journal``.
"""
