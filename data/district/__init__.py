"""Setting up a real district: the store's local CRS, coordinate systems offices use, reading GIS
files, OpenStreetMap extracts and rosters, and the import services that write them (the demo
writes through the same services)."""
