"""Tests of every /v1 resource method, on both clients, through the public API."""
