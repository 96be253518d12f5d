"""The sale across contexts: the wiring of one context's ports to another's use cases
(orders over seating, payments over orders), shared by the API and the worker so neither
app imports the other and no service imports another."""
