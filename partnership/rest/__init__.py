"""What every endpoint of the API shares, one file a role.

- pagination: bounded page sizes, a 400 rather than a silent cut.
- filtering: the site's FilterSets made strict, and strict query strings.
- permissions: staff writes checked with partnership.permissions; the anonymous rate limit.
- viewsets: the base viewsets (public reads, staff writes), ETags, and the API root.
- errors: one JSON shape for every error.
- schema: how the API describes itself in OpenAPI.
- renderers: CSV, through partnership.exports.
"""
