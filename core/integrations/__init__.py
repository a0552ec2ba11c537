"""What the platform tells other systems: webhooks and Greenhouse's completion PATCH.

Events are recorded in the transaction of the change that caused them (``events.emit``), as
delivery rows a worker then sends with retries (``deliveries``): nothing is lost when a
receiver is down, and nothing is sent for a change that was rolled back.
"""
