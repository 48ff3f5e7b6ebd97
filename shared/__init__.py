"""kx shared: the bus, events, config, web and database plumbing every service uses."""
