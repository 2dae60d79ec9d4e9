"""Pain-point analysis of the journey log: metrics, paths, pain points, unrecognised messages."""
