"""The pure knowledge core: no telegram, no aiohttp, no I/O while answering."""
