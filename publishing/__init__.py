"""The public-cache contract: the page cache, HTTP caching headers, cached fragments and the
content version they share. Apps plug in through publishing.registry; this package imports
no other app of the project."""
