"""Live collectors: each fetches a public conversation and writes a file that
:mod:`mapper.sources` reads.  All requests go through :class:`mapper.http.Session`."""
