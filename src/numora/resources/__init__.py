"""The API's resources, one module each; every method is written once for both clients."""
