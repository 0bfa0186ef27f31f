"""Stage 4, publication: disclosure control, the publishable view, findings text, report content
and provenance manifests. What may be published is decided here; how it looks is the renderers'."""
