"""Notifications: in the application (the bell and its list), and by e-mail and SMS through an outbox that a task
queue drains (docs/adr/0009-notifications-outbox.md)."""
